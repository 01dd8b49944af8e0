import type { Policy } from '../policy';
import { distanceMiles } from '../geo';
import type { Placement } from '../../schemas/directory';
import type { Freshness } from '../../schemas/vocabulary';
import type { Candidate } from './candidate';
import { isTraffickingInvolved, NEED_WEIGHTS, needCoverage } from './needs';
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
 * The six components known before the service search, compiled for one youth and policy into one
 * function returning their weighted sum: youth-derived constants are worked out once, not per
 * candidate. The named component functions above are the specification; a test checks this
 * returns exactly their weighted sum.
 */
export function compilePartialScore(youth: ResolvedYouth, weights: Policy['weights'], halfLifeMiles: number) {
  const profile = youth.profile;
  const needs = profile.needs;
  const trafficking = isTraffickingInvolved(needs);
  const specializationMax = trafficking ? 1 : 0.7;
  const [firstLanguage] = profile.languages;
  const otherLanguages = profile.languages.slice(1);
  let needWeight = 0;
  for (const need of needs) needWeight += NEED_WEIGHTS[need];
  const { needs: wNeeds, specialization: wSpec, distance: wDist, freshness: wFresh, language: wLang, runRisk: wRun } = weights;
  return (p: Placement, scoredDistanceMiles: number, freshness: Freshness): number => {
    let met = 0;
    for (const need of needs) met += NEED_WEIGHTS[need] * needCoverage(need, p, profile);
    const needs01 = needWeight === 0 ? 1 : met / needWeight;

    const s = p.specializations ?? [];
    let spec = (s.includes('trauma_informed') ? 0.3 : 0) + 0.2 * Math.min(2, (p.traumaModels ?? []).length);
    if (trafficking && s.includes('survivor_mentor')) spec += 0.3;
    const spec01 = Math.min(1, spec / specializationMax);

    let language01 = 1;
    if (firstLanguage !== undefined && !p.languages.includes(firstLanguage)) {
      language01 = 0;
      for (const l of otherLanguages) {
        if (p.languages.includes(l)) {
          language01 = 0.6;
          break;
        }
      }
    }

    return (
      wNeeds * needs01 +
      wSpec * spec01 +
      wDist * distanceScore(scoredDistanceMiles, halfLifeMiles) +
      wFresh * FRESHNESS_SCORES[freshness] +
      wLang * language01 +
      wRun * runRiskScore(p, youth)
    );
  };
}
