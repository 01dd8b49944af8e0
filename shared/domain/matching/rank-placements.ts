import type { Policy } from '../policy';
import type { StoredLocation } from '../../schemas/common';
import type { Placement, Service } from '../../schemas/directory';
import type { Freshness, PlacementType, SecurityLevel } from '../../schemas/vocabulary';
import { lastReportedAt } from '../capacity';
import { distanceMiles } from '../geo';
import { availableBedsAt, candidateClock, candidateOf, distanceFrom, distanceFromToLatLon, fastFreshness, packedFreshness } from './candidate';
import { asSentences, asSummary, reasonClauses, whatWouldChange } from './explain';
import type { HardRuleCode, RuleContext } from './hard-rules';
import { compileRulesOnPacked, HARD_RULE_CODES, RULE_BIT, rulesOfMask } from './hard-rules';
import { PackedPlacements } from './packed-placements';
import type { PackedServices } from './packed-services';
import type { Components } from './scores';
import {
  compilePartialScorer,
  distanceScore,
  freshnessScore,
  languageScore,
  needsScore,
  runRiskScore,
  scoredDistanceMiles,
  SCORE_COMPONENTS,
  specializationScore,
} from './scores';
import { MinHeap } from './top-k';
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
  /** As read, or packed as `placementsForMatch` packs them (packed-placements.ts); packed here otherwise. */
  placements: readonly Placement[] | PackedPlacements;
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
  /** The candidates, in the order of the packed rows and of the indices below. */
  placements: readonly Placement[];
  clock: ReturnType<typeof candidateClock>;
  ctx: RuleContext;
  buffers: Scratch;
  /** Candidates passing every hard rule. */
  eligibleCount: number;
  /** Candidate indices in `buffers.excluded[0, excludedCount)`, in input order. */
  excludedCount: number;
  /** Excluded only for having no bed, with a stale or never-reported count: `buffers.fullButStale[0, fullButStaleCount)`. */
  fullButStaleCount: number;
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
/** How many rules each rule mask holds. */
const RULES_IN_MASK = Uint8Array.from({ length: 1 << HARD_RULE_CODES.length }, (_, mask) => {
  let rules = 0;
  for (let m = mask; m; m &= m - 1) rules++;
  return rules;
});
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The k-th largest of the values added so far (−Infinity until there are k): the k largest, kept in descending order. */
class KthLargest {
  private readonly best: Float64Array;
  private kept = 0;
  value = -Infinity;

  constructor(private readonly k: number) {
    this.best = new Float64Array(k);
  }

  add(v: number): void {
    const { best, k } = this;
    // Almost every value is below the k-th largest: one comparison.
    if (this.kept === k && !(v > best[k - 1]!)) return;
    let at = this.kept < k ? this.kept++ : k - 1;
    while (at > 0 && best[at - 1]! < v) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = v;
    if (this.kept === k) this.value = best[k - 1]!;
  }
}

/** The k-th largest of `values[indices[j]]` for j < count (−Infinity when there are fewer than k). */
function kthLargest(values: Float64Array, indices: Int32Array, count: number, k: number): number {
  const kth = new KthLargest(k);
  for (let j = 0; j < count; j++) kth.add(values[indices[j]!]!);
  return kth.value;
}

/**
 * The first `k` of `indices[0, count)` under `compare` — fewest broken rules (`ruleCount`, when
 * given), then nearest, then id — as `keepBest` gives them, but without calling `compare` for
 * the many candidates that break more rules than, or lie further than, the last one kept.
 */
function nearestFirst(indices: Int32Array, count: number, k: number, ruleCount: Uint8Array | null, distance: Float64Array, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  const best: number[] = [];
  for (let j = 0; j < count; j++) {
    const i = indices[j]!;
    if (best.length === k) {
      const last = best[k - 1]!;
      const rules = ruleCount ? ruleCount[i]! - ruleCount[last]! : 0;
      if (rules > 0 || (rules === 0 && distance[i]! > distance[last]!)) continue;
      if (compare(i, last) >= 0) continue;
    }
    let at = best.length;
    while (at > 0 && compare(i, best[at - 1]!) < 0) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

interface Scratch {
  size: number;
  distance: Float64Array;
  masks: Uint32Array;
  ruleCount: Uint8Array;
  base: Float64Array;
  bound: Float64Array;
  excluded: Int32Array;
  fullButStale: Int32Array;
  /** The eligible candidates scored exactly (`base`, `bound`), in input order. */
  scoredList: Int32Array;
}

/**
 * Per-candidate working arrays, reused from one ranking to the next (growing when needed): a match
 * over 100k candidates would otherwise allocate megabytes of arrays per call and spend its time
 * in the garbage collector. A plan takes them and `finishRanking` gives them back, so two
 * rankings interleaved across an await (the local server serves requests concurrently) never
 * share them: the second simply allocates its own.
 */
let pool: Scratch | undefined;
function takeScratch(n: number): Scratch {
  let taken = pool;
  pool = undefined;
  if (!taken || taken.size < n) {
    const size = Math.max(n, 1024);
    taken = {
      size,
      distance: new Float64Array(size),
      masks: new Uint32Array(size),
      ruleCount: new Uint8Array(size),
      base: new Float64Array(size),
      bound: new Float64Array(size),
      excluded: new Int32Array(size),
      fullButStale: new Int32Array(size),
      scoredList: new Int32Array(size),
    };
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
  const { youth, policy, now, options } = input;
  const packed = input.placements instanceof PackedPlacements ? input.placements : PackedPlacements.of(input.placements);
  const placements = packed.placements;
  const n = placements.length;
  const clock = candidateClock(now);
  const maxDistanceMiles = youth.profile.preferences.maxDistanceMiles ?? policy.matching.defaultMaxDistanceMiles;
  const ctx: RuleContext = { youth, maxDistanceMiles, includeFull: options.includeFull, today: clock.nowIso.slice(0, 10) };
  const rulesBut = compileRulesOnPacked(ctx, packed);
  const scorer = compilePartialScorer(youth, policy.weights, policy.matching.distanceHalfLifeMiles);
  const w = policy.weights;
  const weightSum = SCORE_COMPONENTS.reduce((sum, key) => sum + w[key], 0);
  const fromYouth = distanceFromToLatLon(youth.point);
  const fromStayNear = youth.stayNear ? distanceFrom(youth.stayNear) : undefined;
  // Distances are scored from the stay-near point; by the triangle inequality a placement is at
  // least |d − youthToStayNear| from it (less a hair for rounding), which is all a bound needs.
  const youthToStayNear = youth.stayNear ? distanceMiles(youth.point, youth.stayNear) : 0;

  const buffers = takeScratch(n);
  const { distance, masks, ruleCount, base, bound, excluded, fullButStale, scoredList } = buffers;
  let eligibleCount = 0;
  let excludedCount = 0;
  let fullButStaleCount = 0;
  let scoredCount = 0;
  const candidatesByMask = new Int32Array(1 << HARD_RULE_CODES.length);
  let eligibleWithOpenBed = 0;

  // Only candidates whose best possible score (wraparound = 1) reaches the k-th best worst-case
  // score (wraparound = 0) can make the top k: the contenders. The k-th best exact partial score
  // so far (`kthSoFar`) can only rise, so a candidate whose upper bound plus the wraparound it may
  // still gain falls below it can neither be a contender nor change the k-th score, and is left
  // unscored. Most eligible candidates are ruled out so, by a bound that does not read their care
  // (their specialisations) or by one that does, without the rest of the exact score (languages,
  // a power, the distance from the stay-near point). A hair of margin keeps rounding from ever
  // deciding the question. A property test checks the contenders are those of scoring every
  // candidate exactly.
  const k = Math.max(0, options.limit);
  const kthSoFar = weightSum === 0 || k === 0 ? undefined : new KthLargest(k);
  const margin = w.wraparound + 1e-9 * (weightSum + 1);
  /** Partial scores below this cannot make a contender: the k-th best so far, less the margin. */
  let outOfContention = -Infinity;
  const { bestLanguageTerm, freshnessTerm } = scorer;
  const bestFreshnessTerm = Math.max(...Object.values(freshnessTerm));

  const { lat, lon, reportedAt } = packed;
  /** fastFreshness of the i-th placement's count, from its column unless that cannot say. */
  const freshnessOf = (i: number): Freshness => packedFreshness(reportedAt[i]!, clock) ?? fastFreshness(lastReportedAt(placements[i]!.capacity), clock);
  for (let i = 0; i < n; i++) {
    const d = fromYouth(lat[i]!, lon[i]!);
    const available = availableBedsAt(packed, i, clock);
    // compileHardRules, with too_far worked out here.
    const mask = rulesBut(i, available <= 0) | (d > maxDistanceMiles ? RULE_BIT.too_far : 0);
    distance[i] = d;
    masks[i] = mask;
    if (mask !== 0) {
      excluded[excludedCount++] = i;
      // Counted per combination of rules here, per rule after the loop: one increment per
      // candidate instead of a walk over its bits.
      candidatesByMask[mask]!++;
      ruleCount[i] = RULES_IN_MASK[mask]!;
      // A stale "full" may be wrong in the youth's favour: finishRanking chases the nearest such
      // programs. Noted now, in the one pass.
      if (mask === RULE_BIT.no_bed_available && STALE.has(freshnessOf(i))) fullButStale[fullButStaleCount++] = i;
      continue;
    }
    eligibleCount++;
    if (available > 0) eligibleWithOpenBed++;
    // The partial score is care + distance + freshness + language + run risk. The bounds take the
    // best language and a distance term rounded up; first the best freshness too, because the
    // care term (a table read) alone rules out almost every candidate, then the candidate's own
    // freshness. (Added in another order than `score` adds them, they may differ from a true
    // bound by a rounding, far inside the margin.)
    const rest = scorer.distanceTermAtMost(fromStayNear ? Math.abs(d - youthToStayNear) - 1e-6 : d) + bestLanguageTerm + scorer.runRiskTermAt(packed, i);
    const care = scorer.careTermAt(packed, i);
    if (care + rest + bestFreshnessTerm < outOfContention) continue;
    const p = placements[i]!;
    const freshness = freshnessOf(i);
    if (care + rest + freshnessTerm[freshness] < outOfContention) continue;
    const b = scorer.score(p, fromStayNear ? fromStayNear(p.location) : d, freshness);
    base[i] = b;
    bound[i] = weightSum === 0 ? 0 : (b + w.wraparound) / weightSum;
    scoredList[scoredCount++] = i;
    if (kthSoFar) {
      kthSoFar.add(b);
      outOfContention = kthSoFar.value - margin;
    }
  }

  const ruleCounts = new Int32Array(HARD_RULE_CODES.length);
  for (let mask = 1; mask < candidatesByMask.length; mask++) {
    const count = candidatesByMask[mask]!;
    if (count > 0) for (let b = 0; b < HARD_RULE_CODES.length; b++) if (mask & (1 << b)) ruleCounts[b]! += count;
  }

  // Every candidate left unscored is below the k-th best score of those scored, so that is the
  // k-th best of all.
  const floor = kthSoFar === undefined ? -Infinity : kthLargest(base, scoredList, scoredCount, k) / weightSum;
  const contenders: number[] = [];
  for (let j = 0; j < scoredCount; j++) {
    const i = scoredList[j]!;
    if (floor === -Infinity || bound[i]! >= floor) contenders.push(i);
  }
  return {
    contenders: contenders.map((i) => placements[i]!),
    state: { input, placements, clock, ctx, buffers, eligibleCount, excludedCount, fullButStaleCount, contenders, ruleCounts, eligibleWithOpenBed, k, weightSum, maxDistanceMiles, finished: false },
  };
}

/**
 * The second half of `rankPlacements`: exact top k with wraparound, explanations, counts.
 * `services` as read, or packed as `servicesForMatch` packs them (packed-services.ts).
 */
export function finishRanking(plan: RankingPlan, services: readonly Service[] | PackedServices): RankOutcome {
  const st = plan.state;
  if (st.finished) throw new Error('finishRanking was already called for this plan');
  st.finished = true;
  try {
    return finish(st, services);
  } finally {
    releaseScratch(st.buffers);
  }
}

function finish(st: PlanState, services: readonly Service[] | PackedServices): RankOutcome {
  const { input, placements, clock, ctx, eligibleCount, excludedCount, fullButStaleCount, contenders, ruleCounts, eligibleWithOpenBed, k, weightSum, maxDistanceMiles } = st;
  const { youth, policy, now, options } = input;
  const { distance, masks, ruleCount, base, bound, excluded, fullButStale } = st.buffers;
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
    ? nearestFirst(excluded, excludedCount, options.excludedLimit ?? 50, ruleCount, distance, fewestRulesThenNearest).map((i) => {
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

  const nearestExcluded = nearestFirst(excluded, excludedCount, NEAREST_EXCLUDED, null, distance, nearest).map((i) => ({
    distanceMiles: Math.round(distance[i]! * 10) / 10,
    rules: rulesOfMask(masks[i]!),
  }));

  const toConfirm = (i: number): CountToConfirm => {
    const p = placements[i]!;
    const reportedAt = lastReportedAt(p.capacity);
    return { placementId: p.id, providerId: p.providerId, name: p.name, state: p.location.state, freshness: fastFreshness(reportedAt, clock), countReportedAt: reportedAt };
  };
  // A stale "full" may be wrong in the youth's favour: chase the nearest such programs too.
  const countsToConfirm = [
    ...top.map((t) => toConfirm(t.index)).filter((c) => STALE.has(c.freshness)),
    ...nearestFirst(fullButStale, fullButStaleCount, k, null, distance, nearest).map(toConfirm),
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
      eligible: eligibleCount,
      eligibleWithOpenBed,
      returned: results.length,
      excluded: excludedCount,
      excludedByRule,
    },
    nearestExcluded,
    countsToConfirm,
    maxDistanceMiles,
  };
}
