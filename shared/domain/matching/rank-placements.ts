import type { Policy } from '../policy';
import type { StoredLocation } from '../../schemas/common';
import type { Placement, Service } from '../../schemas/directory';
import type { Freshness, PlacementType, SecurityLevel } from '../../schemas/vocabulary';
import type { Candidate } from './candidate';
import { candidateClock, candidateOf } from './candidate';
import { asSentences, asSummary, reasonClauses, whatWouldChange } from './explain';
import type { HardRuleCode, RuleContext } from './hard-rules';
import { brokenRules } from './hard-rules';
import type { Components } from './scores';
import {
  distanceScore,
  freshnessScore,
  languageScore,
  needsScore,
  runRiskScore,
  scoredDistanceMiles,
  SCORE_COMPONENTS,
  specializationScore,
} from './scores';
import { MinHeap, smallestK } from './top-k';
import type { WraparoundItem } from './wraparound';
import { ServiceFinder, wraparoundFor } from './wraparound';
import type { ResolvedYouth } from './youth';

/**
 * `rankPlacements`: the whole of matching as one pure function over plain data — hard rules,
 * scores, wraparound and explanations — so it is tested, property-tested and benchmarked without
 * DynamoDB. The caller reads the candidates from the geo index and stores the outcome.
 */

export interface RankOptions {
  /** How many results to return, best first. */
  limit: number;
  /** Rank programs with no open bed too (they are never excluded for it). */
  includeFull: boolean;
  /** Return the excluded programs with their rules and what would change them. */
  explainExcluded: boolean;
  /** At most this many excluded programs are explained (the nearest to eligible first); default 50. */
  excludedLimit?: number;
}

export interface RankInput {
  youth: ResolvedYouth;
  placements: readonly Placement[];
  services: readonly Service[];
  policy: Policy;
  now: Date;
  options: RankOptions;
}

export interface RankedPlacement {
  placementId: string;
  providerId: string;
  name: string;
  type: PlacementType;
  security: SecurityLevel;
  /** 0..1, rounded to 3 places; the order is by the unrounded score. */
  score: number;
  components: Components;
  /** Plain sentences, strongest points first and gaps last. */
  reasons: string[];
  /** The reasons as one line to read aloud. */
  summary: string;
  available: number;
  onHold: number;
  freshness: Freshness;
  /** When the count was last updated or confirmed. */
  countReportedAt: string | null;
  /** From the youth's location. */
  distanceMiles: number;
  wraparound: WraparoundItem[];
  /** The full location: callers redact it for whoever reads the result (see redact.ts). */
  location: StoredLocation;
}

export interface ExcludedPlacement {
  placementId: string;
  providerId: string;
  name: string;
  rules: HardRuleCode[];
  whatWouldChange: string;
  distanceMiles: number;
  available: number;
  freshness: Freshness;
}

/** A placement whose count should be confirmed because a match relied on (or tripped over) it. */
export interface CountToConfirm {
  placementId: string;
  providerId: string;
  name: string;
  state: string;
  freshness: Freshness;
  countReportedAt: string | null;
}

export interface RankOutcome {
  results: RankedPlacement[];
  /** Empty unless `explainExcluded`. Fewest broken rules, then nearest, then id. */
  excluded: ExcludedPlacement[];
  counts: {
    /** Placements considered (the index's candidate set). */
    candidates: number;
    /** Passing every hard rule (with `includeFull`, full ones included). */
    eligible: number;
    /** Eligible and with an open bed: zero means unmet demand. */
    eligibleWithOpenBed: number;
    returned: number;
    excluded: number;
    /** How many candidates broke each rule. */
    excludedByRule: Partial<Record<HardRuleCode, number>>;
  };
  /** The rules of the nearest excluded candidates, nearest first (for the unmet-demand record). */
  nearestExcluded: { distanceMiles: number; rules: HardRuleCode[] }[];
  /** Stale or never-reported counts the match relied on: results, and programs excluded only for no bed. */
  countsToConfirm: CountToConfirm[];
  maxDistanceMiles: number;
}

interface Eligible {
  c: Candidate;
  partial: Omit<Components, 'wraparound'>;
  base: number;
  bound: number;
}

interface Scored {
  e: Eligible;
  score: number;
  wrap: ReturnType<typeof wraparoundFor>;
}

const STALE: ReadonlySet<Freshness> = new Set(['stale', 'unknown']);
const NEAREST_EXCLUDED = 5;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Best first: higher score, then nearer, then placement id (the stable key). */
function rankOrder(aScore: number, a: Candidate, bScore: number, b: Candidate): number {
  if (aScore !== bScore) return bScore - aScore;
  if (a.distanceMiles !== b.distanceMiles) return a.distanceMiles - b.distanceMiles;
  return a.placement.id < b.placement.id ? -1 : a.placement.id > b.placement.id ? 1 : 0;
}

export function rankPlacements(input: RankInput): RankOutcome {
  const { youth, policy, now, options } = input;
  const clock = candidateClock(now);
  const maxDistanceMiles = youth.profile.preferences.maxDistanceMiles ?? policy.matching.defaultMaxDistanceMiles;
  const ctx: RuleContext = { youth, maxDistanceMiles, includeFull: options.includeFull, today: clock.nowIso.slice(0, 10) };
  const w = policy.weights;
  const weightSum = SCORE_COMPONENTS.reduce((s, k) => s + w[k], 0);
  const halfLife = policy.matching.distanceHalfLifeMiles;

  const eligible: Eligible[] = [];
  const excluded: { c: Candidate; rules: HardRuleCode[] }[] = [];
  const excludedByRule: Partial<Record<HardRuleCode, number>> = {};
  const seen = new Set<string>();
  let eligibleWithOpenBed = 0;

  for (const placement of input.placements) {
    // The index never returns an item twice, but a caller merging pages might; count each once.
    if (seen.has(placement.id)) continue;
    seen.add(placement.id);
    const c = candidateOf(placement, youth.point, clock);
    const rules = brokenRules(c, ctx);
    if (rules.length > 0) {
      excluded.push({ c, rules });
      for (const r of rules) excludedByRule[r] = (excludedByRule[r] ?? 0) + 1;
      continue;
    }
    if (c.available > 0) eligibleWithOpenBed++;
    const partial = {
      needs: needsScore(placement, youth),
      specialization: specializationScore(placement, youth),
      distance: distanceScore(scoredDistanceMiles(c, youth), halfLife),
      freshness: freshnessScore(c.freshness),
      language: languageScore(placement, youth),
      runRisk: runRiskScore(placement, youth),
    };
    const base =
      w.needs * partial.needs +
      w.specialization * partial.specialization +
      w.distance * partial.distance +
      w.freshness * partial.freshness +
      w.language * partial.language +
      w.runRisk * partial.runRisk;
    const bound = weightSum === 0 ? 0 : (base + w.wraparound) / weightSum;
    eligible.push({ c, partial, base, bound });
  }

  // Wraparound is the one costly component (a service search per unmet need), so it is computed
  // lazily: candidates come off a heap in order of their best possible score (wraparound = 1),
  // and the search stops once the k-th exact score beats the next candidate's best possible one.
  // The top k are exactly those a full sort would give.
  const finder = new ServiceFinder(input.services, youth, policy.matching.wraparoundRadiusMiles);
  const heap = new MinHeap(eligible, (a, b) => rankOrder(a.bound, a.c, b.bound, b.c));
  const top: Scored[] = [];
  const k = Math.max(0, options.limit);
  while (heap.size > 0 && k > 0) {
    const next = heap.peek()!;
    const kth = top[k - 1];
    if (kth && rankOrder(kth.score, kth.e.c, next.bound, next.c) < 0) break;
    heap.pop();
    const wrap = wraparoundFor(next.c.placement, youth, finder);
    const score = weightSum === 0 ? 0 : (next.base + w.wraparound * wrap.score) / weightSum;
    const scored = { e: next, score, wrap };
    let i = top.length;
    while (i > 0 && rankOrder(score, next.c, top[i - 1]!.score, top[i - 1]!.e.c) < 0) i--;
    top.splice(i, 0, scored);
    if (top.length > k) top.pop();
  }

  const results = top.map(({ e, score, wrap }) => {
    const { c } = e;
    const p = c.placement;
    const scoredDistance = scoredDistanceMiles(c, youth);
    const clauses = reasonClauses({ c, youth, wrap, scoredDistanceMiles: scoredDistance, wraparoundRadiusMiles: policy.matching.wraparoundRadiusMiles, now });
    const components = { ...e.partial, wraparound: wrap.score };
    for (const key of SCORE_COMPONENTS) components[key] = round3(components[key]);
    return {
      placementId: p.id,
      providerId: p.providerId,
      name: p.name,
      type: p.type,
      security: p.security,
      score: round3(score),
      components,
      reasons: asSentences(clauses),
      summary: asSummary(clauses),
      available: c.available,
      onHold: c.onHold,
      freshness: c.freshness,
      countReportedAt: c.reportedAt,
      distanceMiles: Math.round(c.distanceMiles * 10) / 10,
      wraparound: wrap.items.map((item) => ({ ...item, quality: round3(item.quality) })),
      location: p.location,
    } satisfies RankedPlacement;
  });

  const explainedExcluded = options.explainExcluded
    ? smallestK(excluded, options.excludedLimit ?? 50, (a, b) => a.rules.length - b.rules.length || rankOrder(0, a.c, 0, b.c)).map(({ c, rules }) => ({
        placementId: c.placement.id,
        providerId: c.placement.providerId,
        name: c.placement.name,
        rules,
        whatWouldChange: whatWouldChange(rules, c, ctx, now),
        distanceMiles: Math.round(c.distanceMiles * 10) / 10,
        available: c.available,
        freshness: c.freshness,
      }))
    : [];

  const nearestExcluded = smallestK(excluded, NEAREST_EXCLUDED, (a, b) => rankOrder(0, a.c, 0, b.c)).map(({ c, rules }) => ({
    distanceMiles: Math.round(c.distanceMiles * 10) / 10,
    rules,
  }));

  const toConfirm = (c: Candidate): CountToConfirm => ({
    placementId: c.placement.id,
    providerId: c.placement.providerId,
    name: c.placement.name,
    state: c.placement.location.state,
    freshness: c.freshness,
    countReportedAt: c.reportedAt,
  });
  // A stale "full" may be wrong in the youth's favour: chase the nearest such programs too.
  const fullButStale = excluded.filter((x) => x.rules.length === 1 && x.rules[0] === 'no_bed_available' && STALE.has(x.c.freshness));
  const countsToConfirm = [
    ...top.filter((s) => STALE.has(s.e.c.freshness)).map((s) => toConfirm(s.e.c)),
    ...smallestK(fullButStale, k, (a, b) => rankOrder(0, a.c, 0, b.c)).map((x) => toConfirm(x.c)),
  ];

  return {
    results,
    excluded: explainedExcluded,
    counts: {
      candidates: seen.size,
      eligible: eligible.length,
      eligibleWithOpenBed,
      returned: results.length,
      excluded: excluded.length,
      excludedByRule,
    },
    nearestExcluded,
    countsToConfirm,
    maxDistanceMiles,
  };
}
