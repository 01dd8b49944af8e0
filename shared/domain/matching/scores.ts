import type { Policy } from '../policy';
import { distanceMiles } from '../geo';
import type { Placement } from '../../schemas/directory';
import type { Freshness, Specialization } from '../../schemas/vocabulary';
import { MENTAL_HEALTH_LEVELS, SPECIALIZATIONS } from '../../schemas/vocabulary';
import type { Candidate } from './candidate';
import type { PackedPlacements } from './packed-placements';
import { CARE, PACKED } from './packed-placements';
import { isTraffickingInvolved, NEED_COVERAGE_READS, NEED_WEIGHTS, needCoverage } from './needs';
import type { ResolvedYouth } from './youth';

/**
 * Stage two of matching (DESIGN.md §4): each component scores one aspect of fit from 0 (worst) to
 * 1 (best), and the policy's weights combine them into a weighted mean. Every component is a pure
 * function of the placement and the youth, so each can be tested and explained on its own.
 */
export const SCORE_COMPONENTS = ['needs', 'specialization', 'distance', 'freshness', 'language', 'runRisk', 'wraparound'] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];
export type Components = Record<ScoreComponent, number>;

/** Share of the youth's needs (by NEED_WEIGHTS) the placement meets itself; 1 when none were named. */
export function needsScore(p: Placement, youth: ResolvedYouth): number {
  let total = 0;
  let met = 0;
  for (const need of youth.profile.needs) {
    total += NEED_WEIGHTS[need];
    met += NEED_WEIGHTS[need] * needCoverage(need, p, youth.profile);
  }
  return total === 0 ? 1 : met / total;
}

/**
 * Depth, not breadth: whether the program works the way trauma needs — trauma-informed, with
 * named evidence-based models (up to two count), and for trafficked youth survivor mentors.
 * Youth with no trafficking involvement are scored on the first two only, rescaled to 0..1.
 */
export function specializationScore(p: Placement, youth: ResolvedYouth): number {
  const s = p.specializations ?? [];
  let raw = (s.includes('trauma_informed') ? 0.3 : 0) + 0.2 * Math.min(2, (p.traumaModels ?? []).length);
  let max = 0.7;
  if (isTraffickingInvolved(youth.profile.needs)) {
    raw += s.includes('survivor_mentor') ? 0.3 : 0;
    max = 1;
  }
  return Math.min(1, raw / max);
}

/** Halves every `halfLifeMiles`: close is better, but far is never worthless. */
export function distanceScore(miles: number, halfLifeMiles: number): number {
  return Math.pow(0.5, Math.max(0, miles) / halfLifeMiles);
}

/** The distance that is scored: from the school or kin ZIP the youth should stay near, else from the youth. */
export function scoredDistanceMiles(c: Candidate, youth: ResolvedYouth): number {
  return youth.stayNear ? distanceMiles(youth.stayNear, c.placement.location) : c.distanceMiles;
}

/**
 * A bed counted two hours ago is probably there; one counted yesterday may be gone; one never
 * counted is a phone call. The order fresh > aging > stale > unknown is what matters.
 */
export const FRESHNESS_SCORES: Record<Freshness, number> = { fresh: 1, aging: 0.6, stale: 0.25, unknown: 0 };

export function freshnessScore(freshness: Freshness): number {
  return FRESHNESS_SCORES[freshness];
}

/**
 * Staff who speak the youth's first language: 1; another language the youth named: 0.6; none:
 * 0. A youth who named no language is not scored on it (1).
 */
export function languageScore(p: Placement, youth: ResolvedYouth): number {
  const langs = youth.profile.languages;
  if (langs.length === 0) return 1;
  if (p.languages.includes(langs[0]!)) return 1;
  return langs.some((l) => p.languages.includes(l)) ? 0.6 : 0;
}

/**
 * Fit to run risk. High risk favours staff-secure (and secure) settings and a run-prevention
 * program; low risk favours the least restrictive setting, as child-welfare law asks. Not
 * assessed: a restrictive setting has not been shown to be needed, so open settings keep a
 * slight edge (1 / 0.9 / 0.7), smaller than for an assessed low risk.
 */
export function runRiskScore(p: Placement, youth: ResolvedYouth): number {
  const prevention = p.runPrevention === true;
  switch (youth.profile.runRisk) {
    case 'high': {
      const base = p.security === 'open' ? 0.1 : 0.7;
      return Math.min(1, base + (prevention ? 0.3 : 0));
    }
    case 'medium': {
      const base = p.security === 'open' ? 0.4 : 0.6;
      return Math.min(1, base + (prevention ? 0.4 : 0));
    }
    case 'low':
      return p.security === 'open' ? 1 : p.security === 'staff_secure' ? 0.8 : 0.4;
    default:
      return p.security === 'open' ? 1 : p.security === 'staff_secure' ? 0.9 : 0.7;
  }
}

/** The weighted mean of the components under the policy's weights (0 when every weight is 0). */
export function combine(components: Components, weights: Policy['weights']): number {
  let sum = 0;
  let total = 0;
  for (const name of SCORE_COMPONENTS) {
    sum += weights[name] * components[name];
    total += weights[name];
  }
  return total === 0 ? 0 : sum / total;
}

/**
 * The traits of a placement that `needsScore` and `specializationScore` read for one youth
 * (`NEED_COVERAGE_READS`; specialisation reads trauma-informed care, the number of trauma models
 * up to the two that count and, for trafficked youth, survivor mentors), packed in an integer:
 * two placements with the same key get the same needs and specialisation scores for this youth.
 * Compiled per youth so that a placement is asked only what matters to this youth: most youth
 * need two or three specialisations looked for, not eight, and the mental-health level only
 * when they need mental-health care.
 */
export function compileCareTraitKey(youth: ResolvedYouth): {
  keyOf: (p: Placement) => number;
  /** The same key from a packed placement's `care` and `flags` columns (not for one marked `IRREGULAR`). */
  keyOfPacked: (care: number, flags: number) => number;
  keyCount: number;
} {
  const looked = new Set<Specialization>(['trauma_informed', 'survivor_mentor']);
  let mentalHealth = false;
  let pregnant = false;
  let parenting = false;
  for (const need of youth.profile.needs) {
    const reads = NEED_COVERAGE_READS[need];
    for (const s of reads.specializations) looked.add(s);
    mentalHealth ||= reads.mentalHealthLevel === true;
    pregnant ||= reads.acceptsPregnant === true;
    parenting ||= reads.acceptsParenting === true;
  }
  // Bit j (j < looked.size) for the j-th specialisation looked for; then the trauma models (0..2);
  // then, where read, the mental-health level's rank (0..3, or 4 for a word the vocabulary lacks)
  // and whether the placement accepts pregnant and parenting youth.
  const words = [...looked];
  const modelsShift = words.length;
  const levelShift = modelsShift + 2;
  const pregnantShift = levelShift + (mentalHealth ? 3 : 0);
  const parentingShift = pregnantShift + (pregnant ? 1 : 0);
  const keyCount = 1 << (parentingShift + (parenting ? 1 : 0));
  const keyOf = (p: Placement): number => {
    let key = 0;
    const s = p.specializations;
    // Comparing each of the placement's words with the few looked for is cheaper than hashing it.
    if (s) {
      for (let i = 0; i < s.length; i++) {
        const word = s[i];
        for (let j = 0; j < words.length; j++) {
          if (word === words[j]) {
            key |= 1 << j;
            break;
          }
        }
      }
    }
    key |= (p.traumaModels ? Math.min(2, p.traumaModels.length) : 0) << modelsShift;
    if (mentalHealth) {
      const level = p.mentalHealthLevel ?? 'none';
      let rank = 0;
      while (rank < MENTAL_HEALTH_LEVELS.length && MENTAL_HEALTH_LEVELS[rank] !== level) rank++;
      key |= rank << levelShift;
    }
    if (pregnant && p.population.acceptsPregnant) key |= 1 << pregnantShift;
    if (parenting && p.population.acceptsParenting) key |= 1 << parentingShift;
    return key;
  };
  // The bits of the words looked for, by every combination of the packed specialisation bits.
  const lookedBits = Uint32Array.from({ length: 1 << SPECIALIZATIONS.length }, (_, bits) => {
    let key = 0;
    words.forEach((word, j) => {
      if (bits & (1 << SPECIALIZATIONS.indexOf(word))) key |= 1 << j;
    });
    return key;
  });
  const specializationMask = (1 << SPECIALIZATIONS.length) - 1;
  const keyOfPacked = (care: number, flags: number): number => {
    let key = lookedBits[care & specializationMask]! | (((care >>> CARE.MODELS_SHIFT) & 3) << modelsShift);
    if (mentalHealth) key |= ((care >>> CARE.LEVEL_SHIFT) & 7) << levelShift;
    if (pregnant && flags & PACKED.ACCEPTS_PREGNANT) key |= 1 << pregnantShift;
    if (parenting && flags & PACKED.ACCEPTS_PARENTING) key |= 1 << parentingShift;
    return key;
  };
  return { keyOf, keyOfPacked, keyCount };
}

/** `runRiskScore` reads the security level (open, staff-secure, anything else) and whether there is a run-prevention program. */
function runRiskKey(p: Placement): number {
  const security = p.security === 'open' ? 0 : p.security === 'staff_secure' ? 1 : 2;
  return security * 2 + (p.runPrevention === true ? 1 : 0);
}

/** `runRiskKey` from a packed placement's `flags`. */
function runRiskKeyOfPacked(flags: number): number {
  return ((flags >>> PACKED.SECURITY_SHIFT) & 3) * 2 + (flags & PACKED.RUN_PREVENTION ? 1 : 0);
}

/**
 * The six components known before the service search, compiled for one youth and policy: `score`
 * is their weighted sum, and the other members are its terms, or bounds of them, for the
 * matcher to bound the score without computing all of it.
 *
 * Needs, specialisation and run risk depend on a handful of a placement's traits
 * (`compileCareTraitKey`, `runRiskKey`), and a directory has few combinations of them: each
 * combination is scored once, by the named functions above, the first time a placement has it,
 * and every later placement with it reads the weighted score from a table. Language, distance
 * and freshness are worked out per placement. The sum is taken in the same order as the weighted
 * named components, so it is exactly their sum (a property test checks it).
 */
export interface PartialScorer {
  /** Exactly the weighted sum of the six named components (wraparound excluded). */
  score(p: Placement, scoredDistanceMiles: number, freshness: Freshness): number;
  /** The weighted needs and specialisation scores, as `score` adds them. */
  careTerm(p: Placement): number;
  /** At least `careTerm` of any placement: both scores at their best, 1. */
  bestCareTerm: number;
  /** The weighted run-risk score, as `score` adds it. */
  runRiskTerm(p: Placement): number;
  /** `careTerm` of the `i`-th of `packed`'s placements, read from its columns. */
  careTermAt(packed: PackedPlacements, i: number): number;
  /** `runRiskTerm` of the `i`-th of `packed`'s placements, read from its columns. */
  runRiskTermAt(packed: PackedPlacements, i: number): number;
  /** The weighted freshness score, as `score` adds it. */
  freshnessTerm: Readonly<Record<Freshness, number>>;
  /** At least the weighted language score of any placement. */
  bestLanguageTerm: number;
  /**
   * At least the weighted distance score of any placement `milesAtLeast` or more away, without
   * taking a power: from a table rounded up.
   */
  distanceTermAtMost(milesAtLeast: number): number;
}

export function compilePartialScorer(youth: ResolvedYouth, weights: Policy['weights'], halfLifeMiles: number): PartialScorer {
  const [firstLanguage] = youth.profile.languages;
  const otherLanguages = youth.profile.languages.slice(1);
  const { needs: wNeeds, specialization: wSpec, distance: wDist, freshness: wFresh, language: wLang, runRisk: wRun } = weights;
  const careTraits = compileCareTraitKey(youth);
  const careTraitKey = careTraits.keyOf;
  const careTraitKeyOfPacked = careTraits.keyOfPacked;
  // NaN marks a combination not yet scored (no score is NaN).
  const needsAndSpecialization = new Float64Array(careTraits.keyCount).fill(NaN);
  const runRisk = new Float64Array(6).fill(NaN);
  const freshnessTerm: Record<Freshness, number> = {
    fresh: wFresh * FRESHNESS_SCORES.fresh,
    aging: wFresh * FRESHNESS_SCORES.aging,
    stale: wFresh * FRESHNESS_SCORES.stale,
    unknown: wFresh * FRESHNESS_SCORES.unknown,
  };

  const careTermOfKey = (care: number, p: Placement): number => {
    const known = needsAndSpecialization[care]!;
    if (known === known) return known;
    return (needsAndSpecialization[care] = wNeeds * needsScore(p, youth) + wSpec * specializationScore(p, youth));
  };
  const runRiskTermOfKey = (run: number, p: Placement): number => {
    const known = runRisk[run]!;
    if (known === known) return known;
    return (runRisk[run] = wRun * runRiskScore(p, youth));
  };
  const careTerm = (p: Placement): number => careTermOfKey(careTraitKey(p), p);
  const runRiskTerm = (p: Placement): number => runRiskTermOfKey(runRiskKey(p), p);

  return {
    score(p, scoredDistanceMiles, freshness) {
      let language01 = 1;
      if (firstLanguage !== undefined) {
        // languageScore without its closures: the first language 1, else another the youth named 0.6.
        language01 = 0;
        const spoken = p.languages;
        for (let i = 0; i < spoken.length; i++) {
          const l = spoken[i]!;
          if (l === firstLanguage) {
            language01 = 1;
            break;
          }
          if (language01 === 0 && otherLanguages.includes(l)) language01 = 0.6;
        }
      }
      return careTerm(p) + wDist * distanceScore(scoredDistanceMiles, halfLifeMiles) + freshnessTerm[freshness] + wLang * language01 + runRiskTerm(p);
    },
    careTerm,
    bestCareTerm: wNeeds * 1 + wSpec * 1,
    runRiskTerm,
    careTermAt(packed, i) {
      const flags = packed.flags[i]!;
      const p = packed.placements[i]!;
      return flags & PACKED.IRREGULAR ? careTerm(p) : careTermOfKey(careTraitKeyOfPacked(packed.care[i]!, flags), p);
    },
    runRiskTermAt: (packed, i) => runRiskTermOfKey(runRiskKeyOfPacked(packed.flags[i]!), packed.placements[i]!),
    freshnessTerm,
    bestLanguageTerm: wLang * 1,
    distanceTermAtMost: (milesAtLeast) => wDist * distanceScoreAtMost(milesAtLeast, halfLifeMiles),
  };
}

/**
 * `distanceScore` at a few points, 0.5^(j / STEPS) for j = 0 .. STEPS × HALF_LIVES, each nudged up
 * by 2⁻⁴⁰ so that no rounding of `Math.pow` can put an exact score above the entry below it.
 */
const STEPS_PER_HALF_LIFE = 32;
const HALF_LIVES_TABULATED = 40;
const HALVINGS = Float64Array.from({ length: STEPS_PER_HALF_LIFE * HALF_LIVES_TABULATED + 1 }, (_, j) => Math.pow(0.5, j / STEPS_PER_HALF_LIFE) * (1 + 2 ** -40));

/**
 * At least `distanceScore(m, halfLifeMiles)` for every m ≥ `milesAtLeast`: the score falls with
 * distance, so the table entry at or below the distance bounds it (Infinity when the distance is
 * not a number, so that the caller scores such a placement exactly).
 */
export function distanceScoreAtMost(milesAtLeast: number, halfLifeMiles: number): number {
  const halfLives = Math.max(0, milesAtLeast) / halfLifeMiles;
  if (!(halfLives >= 0)) return Infinity;
  const j = Math.floor(halfLives * STEPS_PER_HALF_LIFE);
  return j < HALVINGS.length ? HALVINGS[j]! : HALVINGS[HALVINGS.length - 1]!;
}
