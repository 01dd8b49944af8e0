import type { Placement } from '../../schemas/directory';
import type { MentalHealthLevel, ServiceCategory, Specialization, YouthNeed } from '../../schemas/vocabulary';
import { MENTAL_HEALTH_LEVELS } from '../../schemas/vocabulary';
import type { YouthProfile } from './youth';

/**
 * How much each need counts in the `needs` and `wraparound` scores. CSEC needs weigh most
 * (DESIGN.md §4): a trafficked child placed where staff do not understand exploitation is the
 * child most likely to run back to it. docs/matching.md explains each weight.
 */
export const NEED_WEIGHTS: Record<YouthNeed, number> = {
  csec_confirmed: 3,
  csec_at_risk: 2.5,
  labor_trafficking: 2.5,
  mental_health: 1.5,
  substance_use: 1.5,
  lgbtq_affirming: 1.5,
  developmental_disability: 1.5,
  pregnant: 1,
  parenting: 1,
  medical: 1,
  education: 0.5,
};

/**
 * The service categories that can meet a need the placement does not meet itself, best first.
 * An empty list means no outside service can stand in (an affirming home is the home itself).
 */
export const NEED_SERVICE_CATEGORIES: Record<YouthNeed, readonly ServiceCategory[]> = {
  csec_confirmed: ['csec_counseling', 'survivor_mentoring'],
  csec_at_risk: ['csec_counseling', 'survivor_mentoring'],
  labor_trafficking: ['trauma_therapy', 'legal_advocacy'],
  substance_use: ['substance_use_treatment'],
  mental_health: ['mental_health'],
  pregnant: ['medical'],
  parenting: ['family_therapy', 'case_management'],
  lgbtq_affirming: [],
  developmental_disability: [],
  medical: ['medical'],
  education: ['education'],
};

const levelRank = (level: MentalHealthLevel | undefined) => MENTAL_HEALTH_LEVELS.indexOf(level ?? 'none');

/** The mental-health level a placement provides; a `mental_health` specialisation means at least outpatient. */
export function placementMentalHealthLevel(p: Placement): MentalHealthLevel {
  const level = p.mentalHealthLevel ?? 'none';
  return level === 'none' && (p.specializations ?? []).includes('mental_health') ? 'outpatient' : level;
}

/**
 * How fully the placement itself meets one need, 0..1. Partial credit is given where staff are
 * close to the need (trauma-informed care for a youth at risk of CSEC, a lower mental-health
 * level than asked); medical care and education get none because the directory has no field
 * saying a placement provides them on site — services cover them as wraparound.
 */
export function needCoverage(need: YouthNeed, p: Placement, youth: Pick<YouthProfile, 'mentalHealthLevel'>): number {
  // No helper closures here: this runs for every need of every eligible candidate.
  const s = p.specializations ?? [];
  switch (need) {
    case 'csec_confirmed':
      return s.includes('csec') ? 1 : s.includes('survivor_mentor') ? 0.4 : s.includes('trauma_informed') ? 0.3 : 0;
    case 'csec_at_risk':
      return s.includes('csec') ? 1 : s.includes('survivor_mentor') || s.includes('trauma_informed') ? 0.5 : 0;
    case 'labor_trafficking':
      // Staff trained for sex trafficking know most of labor trafficking's dynamics too.
      return s.includes('csec') ? 0.8 : s.includes('trauma_informed') || s.includes('survivor_mentor') ? 0.5 : 0;
    case 'substance_use':
      return s.includes('substance_use') ? 1 : 0;
    case 'mental_health': {
      const provided = levelRank(placementMentalHealthLevel(p));
      const needed = levelRank(youth.mentalHealthLevel ?? 'outpatient');
      return provided >= needed ? 1 : provided > 0 ? 0.5 : 0;
    }
    case 'pregnant':
      return s.includes('pregnant_parenting') ? 1 : p.population.acceptsPregnant ? 0.5 : 0;
    case 'parenting':
      return s.includes('pregnant_parenting') ? 1 : p.population.acceptsParenting ? 0.5 : 0;
    case 'lgbtq_affirming':
      return s.includes('lgbtq_affirming') ? 1 : 0;
    case 'developmental_disability':
      return s.includes('developmental_disability') ? 1 : 0;
    case 'medical':
    case 'education':
      return 0;
  }
}

/**
 * What `needCoverage(need, …)` reads of a placement, kept beside it: its specialisations among
 * these words and, where marked, its mental-health level and whether it accepts pregnant or
 * parenting youth. The matcher scores each combination of these once per match (scores.ts,
 * `compilePartialScorer`); a property test checks that placements agreeing on them get the same
 * coverage, so a change to needCoverage that reads something else fails there.
 */
export const NEED_COVERAGE_READS: Record<
  YouthNeed,
  { specializations: readonly Specialization[]; mentalHealthLevel?: true; acceptsPregnant?: true; acceptsParenting?: true }
> = {
  csec_confirmed: { specializations: ['csec', 'survivor_mentor', 'trauma_informed'] },
  csec_at_risk: { specializations: ['csec', 'survivor_mentor', 'trauma_informed'] },
  labor_trafficking: { specializations: ['csec', 'trauma_informed', 'survivor_mentor'] },
  substance_use: { specializations: ['substance_use'] },
  mental_health: { specializations: ['mental_health'], mentalHealthLevel: true },
  pregnant: { specializations: ['pregnant_parenting'], acceptsPregnant: true },
  parenting: { specializations: ['pregnant_parenting'], acceptsParenting: true },
  lgbtq_affirming: { specializations: ['lgbtq_affirming'] },
  developmental_disability: { specializations: ['developmental_disability'] },
  medical: { specializations: [] },
  education: { specializations: [] },
};

/** The youth's CSEC or trafficking needs, which shape specialisation and the reasons given. */
export function isTraffickingInvolved(needs: readonly YouthNeed[]): boolean {
  return needs.includes('csec_confirmed') || needs.includes('csec_at_risk') || needs.includes('labor_trafficking');
}
