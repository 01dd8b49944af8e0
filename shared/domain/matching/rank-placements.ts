import type { Policy } from '../policy';
import type { StoredLocation } from '../../schemas/common';
import type { Placement, Service } from '../../schemas/directory';
import type { Freshness, PlacementType, SecurityLevel } from '../../schemas/vocabulary';
import { lastReportedAt } from '../capacity';
import { distanceMiles } from '../geo';
import { availableBeds, candidateClock, candidateOf, fastFreshness } from './candidate';
import { asSentences, asSummary, reasonClauses, whatWouldChange } from './explain';
import type { HardRuleCode, RuleContext } from './hard-rules';
import { compileHardRules, HARD_RULE_CODES, RULE_BIT, rulesOfMask } from './hard-rules';
import type { Components } from './scores';
import {
  compilePartialScore,
  distanceScore,
  freshnessScore,
  languageScore,
  needsScore,
  runRiskScore,
  scoredDistanceMiles,
  SCORE_COMPONENTS,
  specializationScore,
} from './scores';
import { keepBest, MinHeap } from './top-k';
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

/** What `planRanking` hands to `finishRanking`. */
export interface RankingPlan {
  /** The candidates whose wraparound may be computed (a few dozen, typically). */
  readonly contenders: readonly Placement[];
  /** Internal state of the ranking; not for callers. */
  readonly state: PlanState;
}

interface PlanState {
  input: Omit<RankInput, 'services'>;
  clock: ReturnType<typeof candidateClock>;
  ctx: RuleContext;
  buffers: Scratch;
  eligible: number[];
  excluded: number[];
  contenders: number[];
  ruleCounts: Int32Array;
  eligibleWithOpenBed: number;
  k: number;
  weightSum: number;
  maxDistanceMiles: number;
  finished: boolean;
}

interface Scored {
  index: number;
  score: number;
  wrap: ReturnType<typeof wraparoundFor>;
}

const STALE: ReadonlySet<Freshness> = new Set(['stale', 'unknown']);
const NEAREST_EXCLUDED = 5;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The k-th largest value of `values` over `indices` (−Infinity when there are fewer than k). */
function lowerBoundOfKth(indices: readonly number[], values: Float64Array, k: number): number {
  if (indices.length < k) return -Infinity;
  const best = keepBest(indices, k, (a, b) => values[b]! - values[a]!);
  return values[best[k - 1]!]!;
}

interface Scratch {
  size: number;
  distance: Float64Array;
  masks: Uint32Array;
  ruleCount: Uint8Array;
  base: Float64Array;
  bound: Float64Array;
}

/**
 * Per-candidate working arrays, reused from one ranking to the next (growing when needed): a match
 * over 100k candidates would otherwise allocate megabytes of typed arrays per call and spend its
 * time in the garbage collector. A plan takes them and `finishRanking` gives them back, so two
 * rankings interleaved across an await (the local server serves requests concurrently) never
 * share them: the second simply allocates its own.
 */
let pool: Scratch | undefined;
function takeScratch(n: number): Scratch {
  let taken = pool;
  pool = undefined;
  if (!taken || taken.size < n) {
    const size = Math.max(n, 1024);
    taken = { size, distance: new Float64Array(size), masks: new Uint32Array(size), ruleCount: new Uint8Array(size), base: new Float64Array(size), bound: new Float64Array(size) };
  }
  return taken;
}
function releaseScratch(s: Scratch): void {
  if (!pool || pool.size < s.size) pool = s;
}

/** The six components known without the service search, for a candidate that passed every rule. */
function partialComponents(p: Placement, youth: ResolvedYouth, scoredDistance: number, freshness: Freshness, halfLifeMiles: number) {
  return {
    needs: needsScore(p, youth),
    specialization: specializationScore(p, youth),
    distance: distanceScore(scoredDistance, halfLifeMiles),
    freshness: freshnessScore(freshness),
    language: languageScore(p, youth),
    runRisk: runRiskScore(p, youth),
  };
}

/**
 * Ranks `placements` (unique by id — the geo index returns each item once) for the youth.
 *
 * The hot path runs once per candidate with no allocation beyond a few typed arrays: distance,
 * open beds, the compiled hard rules (a bit mask), and for eligible candidates the six cheap
 * components folded into a partial score. Everything that allocates — candidate views, the
 * service search, sentences — runs only for the few candidates that are returned or explained.
 */
export function rankPlacements(input: RankInput): RankOutcome {
  return finishRanking(planRanking(input), input.services);
}

/**
 * The first half of `rankPlacements`, for callers that read services only once they know which
 * candidates can make the top k: every candidate once (rules, the six cheap components), and the
 * contenders — the only candidates whose wraparound can be computed. Services within the
 * wraparound radius of the contenders (and telehealth serving their states) are all
 * `finishRanking` needs for exactly the answer `rankPlacements` gives with every service.
 */
export function planRanking(input: Omit<RankInput, 'services'>): RankingPlan {
  const { youth, policy, now, options, placements } = input;
  const n = placements.length;
  const clock = candidateClock(now);
  const maxDistanceMiles = youth.profile.preferences.maxDistanceMiles ?? policy.matching.defaultMaxDistanceMiles;
  const ctx: RuleContext = { youth, maxDistanceMiles, includeFull: options.includeFull, today: clock.nowIso.slice(0, 10) };
  const rulesOf = compileHardRules(ctx);
  const partialScore = compilePartialScore(youth, policy.weights, policy.matching.distanceHalfLifeMiles);
  const w = policy.weights;
  const weightSum = SCORE_COMPONENTS.reduce((sum, key) => sum + w[key], 0);
  const stayNear = youth.stayNear;

  const buffers = takeScratch(n);
  const { distance, masks, ruleCount, base, bound } = buffers;
  const eligible: number[] = [];
  const excluded: number[] = [];
  const ruleCounts = new Int32Array(HARD_RULE_CODES.length);
  let eligibleWithOpenBed = 0;

  for (let i = 0; i < n; i++) {
    const p = placements[i]!;
    const d = distanceMiles(youth.point, p.location);
    const available = availableBeds(p.capacity, clock);
    const mask = rulesOf(p, d, available);
    distance[i] = d;
    masks[i] = mask;
    if (mask !== 0) {
      excluded.push(i);
      let broken = 0;
      for (let b = 0, m = mask; m; b++, m >>>= 1) {
        if (m & 1) {
          ruleCounts[b]!++;
          broken++;
        }
      }
      ruleCount[i] = broken;
      continue;
    }
    eligible.push(i);
    if (available > 0) eligibleWithOpenBed++;
    const freshness = fastFreshness(lastReportedAt(p.capacity), clock);
    base[i] = partialScore(p, stayNear ? distanceMiles(stayNear, p.location) : d, freshness);
    bound[i] = weightSum === 0 ? 0 : (base[i]! + w.wraparound) / weightSum;
  }

  // Only candidates whose best possible score (wraparound = 1) reaches the k-th best worst-case
  // score (wraparound = 0) can make the top k.
  const k = Math.max(0, options.limit);
  const floor = weightSum === 0 || k === 0 ? -Infinity : lowerBoundOfKth(eligible, base, k) / weightSum;
  const contenders = floor === -Infinity ? eligible : eligible.filter((i) => bound[i]! >= floor);
  return {
    contenders: contenders.map((i) => placements[i]!),
    state: { input, clock, ctx, buffers, eligible, excluded, contenders, ruleCounts, eligibleWithOpenBed, k, weightSum, maxDistanceMiles, finished: false },
  };
}

/** The second half of `rankPlacements`: exact top k with wraparound, explanations, counts. */
export function finishRanking(plan: RankingPlan, services: readonly Service[]): RankOutcome {
  const st = plan.state;
  if (st.finished) throw new Error('finishRanking was already called for this plan');
  st.finished = true;
  try {
    return finish(st, services);
  } finally {
    releaseScratch(st.buffers);
  }
}

function finish(st: PlanState, services: readonly Service[]): RankOutcome {
  const { input, clock, ctx, eligible, excluded, contenders, ruleCounts, eligibleWithOpenBed, k, weightSum, maxDistanceMiles } = st;
  const { youth, policy, now, options, placements } = input;
  const { distance, masks, ruleCount, base, bound } = st.buffers;
  const w = policy.weights;
  const halfLife = policy.matching.distanceHalfLifeMiles;

  /** Best first: higher score, then nearer, then placement id (the stable key). */
  const order = (aScore: number, a: number, bScore: number, b: number) =>
    aScore !== bScore ? bScore - aScore : distance[a] !== distance[b] ? distance[a]! - distance[b]! : byId(placements[a]!.id, placements[b]!.id);

  // Wraparound is the one costly component (a service search per unmet need), so it is computed
  // lazily: contenders come off a heap in order of their best possible score, and the search
  // stops once the k-th exact score beats the next candidate's best possible one. The top k are
  // exactly those a full sort would give (a property test checks it).
  const finder = new ServiceFinder(services, youth, policy.matching.wraparoundRadiusMiles, maxDistanceMiles);
  const heap = new MinHeap(contenders, (a, b) => order(bound[a]!, a, bound[b]!, b));
  const top: Scored[] = [];
  while (heap.size > 0 && k > 0) {
    const next = heap.peek()!;
    const kth = top[k - 1];
    if (kth && order(kth.score, kth.index, bound[next]!, next) < 0) break;
    heap.pop();
    const wrap = wraparoundFor(placements[next]!, youth, finder);
    const score = weightSum === 0 ? 0 : (base[next]! + w.wraparound * wrap.score) / weightSum;
    let at = top.length;
    while (at > 0 && order(score, next, top[at - 1]!.score, top[at - 1]!.index) < 0) at--;
    top.splice(at, 0, { index: next, score, wrap });
    if (top.length > k) top.pop();
  }

  const results = top.map(({ index, score, wrap }) => {
    const p = placements[index]!;
    const c = candidateOf(p, youth.point, clock);
    const scoredDistance = scoredDistanceMiles(c, youth);
    const clauses = reasonClauses({ c, youth, wrap, scoredDistanceMiles: scoredDistance, wraparoundRadiusMiles: policy.matching.wraparoundRadiusMiles, now });
    const components: Components = { ...partialComponents(p, youth, scoredDistance, c.freshness, halfLife), wraparound: wrap.score };
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

  const nearest = (a: number, b: number) => (distance[a] !== distance[b] ? distance[a]! - distance[b]! : byId(placements[a]!.id, placements[b]!.id));
  const fewestRulesThenNearest = (a: number, b: number) => ruleCount[a]! - ruleCount[b]! || nearest(a, b);
  const explainedExcluded = options.explainExcluded
    ? keepBest(excluded, options.excludedLimit ?? 50, fewestRulesThenNearest).map((i) => {
        const c = candidateOf(placements[i]!, youth.point, clock);
        const rules = rulesOfMask(masks[i]!);
        return {
          placementId: c.placement.id,
          providerId: c.placement.providerId,
          name: c.placement.name,
          rules,
          whatWouldChange: whatWouldChange(rules, c, ctx, now),
          distanceMiles: Math.round(c.distanceMiles * 10) / 10,
          available: c.available,
          freshness: c.freshness,
        } satisfies ExcludedPlacement;
      })
    : [];

  const nearestExcluded = keepBest(excluded, NEAREST_EXCLUDED, nearest).map((i) => ({
    distanceMiles: Math.round(distance[i]! * 10) / 10,
    rules: rulesOfMask(masks[i]!),
  }));

  const toConfirm = (i: number): CountToConfirm => {
    const p = placements[i]!;
    const reportedAt = lastReportedAt(p.capacity);
    return { placementId: p.id, providerId: p.providerId, name: p.name, state: p.location.state, freshness: fastFreshness(reportedAt, clock), countReportedAt: reportedAt };
  };
  // A stale "full" may be wrong in the youth's favour: chase the nearest such programs too.
  const fullButStale = excluded.filter((i) => masks[i] === RULE_BIT.no_bed_available && STALE.has(fastFreshness(lastReportedAt(placements[i]!.capacity), clock)));
  const countsToConfirm = [
    ...top.map((t) => toConfirm(t.index)).filter((c) => STALE.has(c.freshness)),
    ...keepBest(fullButStale, k, nearest).map(toConfirm),
  ];

  const excludedByRule: Partial<Record<HardRuleCode, number>> = {};
  HARD_RULE_CODES.forEach((code, b) => {
    if (ruleCounts[b]! > 0) excludedByRule[code] = ruleCounts[b]!;
  });

  return {
    results,
    excluded: explainedExcluded,
    counts: {
      candidates: placements.length,
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
