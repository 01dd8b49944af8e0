import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMiles } from '../geo';
import { DEFAULT_POLICY } from '../policy';
import type { Policy } from '../policy';
import type { Placement, Service } from '../../schemas/directory';
import { CAPACITY_FRESHNESS, MENTAL_HEALTH_LEVELS, SPECIALIZATIONS, TRAUMA_MODELS, YOUTH_NEEDS } from '../../schemas/vocabulary';
import { availableBeds, candidateClock, candidateOf, distanceFrom } from './candidate';
import { directoryArb, keepAwayArb, placementArb, serviceArb, youthArb } from './fixtures/arbitraries';
import { NOW } from './fixtures/builders';
import type { HardRuleCode, RuleContext } from './hard-rules';
import { brokenRules, insideKeepAway, keepAwayBox } from './hard-rules';
import { NEED_COVERAGE_READS, needCoverage } from './needs';
import type { RankOptions, RankOutcome } from './rank-placements';
import { planRanking, rankPlacements } from './rank-placements';
import type { Components } from './scores';
import {
  combine,
  compileCareTraitKey,
  compilePartialScorer,
  distanceScore,
  freshnessScore,
  languageScore,
  needsScore,
  runRiskScore,
  scoredDistanceMiles,
  specializationScore,
} from './scores';
import { ServiceFinder, wraparoundFor } from './wraparound';
import type { ResolvedYouth } from './youth';

/**
 * The matcher's fast paths against the straightforward computations they replace: each cheap
 * bound really bounds, each table really holds what the named function gives, and the whole
 * ranking equals a plain one written here from the named rule and score functions (every
 * candidate scored, everything sorted).
 */

const clock = candidateClock(NOW);
const point = fc.record({ lat: fc.double({ min: -70, max: 70, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) });
/** A second point near the first (most matching distances are short), or anywhere. */
const nearby = (from: { lat: number; lon: number }) =>
  fc.oneof(
    fc.record({ dLat: fc.double({ min: -5, max: 5, noNaN: true }), dLon: fc.double({ min: -5, max: 5, noNaN: true }) }).map(({ dLat, dLon }) => ({ lat: Math.max(-89, Math.min(89, from.lat + dLat)), lon: from.lon + dLon })),
    fc.record({ dLat: fc.double({ min: -1e-4, max: 1e-4, noNaN: true }), dLon: fc.double({ min: -1e-4, max: 1e-4, noNaN: true }) }).map(({ dLat, dLon }) => ({ lat: from.lat + dLat, lon: from.lon + dLon })),
    point,
  );
const pairOfPoints = point.chain((a) => nearby(a).map((b) => [a, b] as const));

/** Random weights (any may be 0) and half-life, as an administrator may set them. */
const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    weights: fc.record({
      needs: fc.constantFrom(0, 1, 4, 10),
      specialization: fc.constantFrom(0, 2, 3.5),
      distance: fc.constantFrom(0, 1.5, 7),
      freshness: fc.constantFrom(0, 1.5),
      language: fc.constantFrom(0, 1, 2.25),
      runRisk: fc.constantFrom(0, 1.5),
      wraparound: fc.constantFrom(0, 1, 5),
    }),
    halfLife: fc.constantFrom(1, 25, 60, 1000),
  })
  .map(({ weights, halfLife }) => ({ ...DEFAULT_POLICY, weights, matching: { ...DEFAULT_POLICY.matching, distanceHalfLifeMiles: halfLife } }));

/** A youth from youthArb, sometimes with a stay-near point (a school or kin ZIP). */
const youthWithStayNearArb = fc.tuple(youthArb, fc.option(fc.constantFrom({ lat: 30.2672, lon: -97.7431 }, { lat: 29.4241, lon: -98.4936 }, { lat: 35.4676, lon: -97.5164 }), { nil: undefined })).map(
  ([y, stayNear]): ResolvedYouth => (stayNear ? { ...y, stayNear } : y),
);

describe('distances', () => {
  it('distanceFrom gives exactly distanceMiles', () => {
    fc.assert(
      fc.property(pairOfPoints, ([a, b]) => {
        expect(distanceFrom(a)(b)).toBe(distanceMiles(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hard rules', () => {
  it('the keep-away box decides exactly as the haversine, at any latitude and across the antimeridian', () => {
    const areaArb = fc.record({
      lat: fc.double({ min: -89.9, max: 89.9, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
      radiusMiles: fc.oneof(fc.double({ min: 0.1, max: 100, noNaN: true }), fc.double({ min: 100, max: 5000, noNaN: true })),
    });
    const atArb = (area: { lat: number; lon: number; radiusMiles: number }) =>
      fc.oneof(
        // Around the edge of the circle, where the answer turns.
        fc.record({ bearing: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), scale: fc.double({ min: 0.9, max: 1.1, noNaN: true }) }).map(({ bearing, scale }) => {
          const r = (area.radiusMiles * scale) / 69;
          const lat = Math.max(-90, Math.min(90, area.lat + r * Math.cos(bearing)));
          let lon = area.lon + (r * Math.sin(bearing)) / Math.max(0.01, Math.cos((area.lat * Math.PI) / 180));
          lon = ((((lon + 180) % 360) + 360) % 360) - 180;
          return { lat, lon };
        }),
        point,
      );
    fc.assert(
      fc.property(areaArb.chain((area) => fc.tuple(fc.constant(area), atArb(area))), ([area, at]) => {
        expect(insideKeepAway(keepAwayBox(area), at)).toBe(distanceMiles(area, at) <= area.radiusMiles);
      }),
      { numRuns: 5000 },
    );
  });

  it('availableBeds is the clamped count of beds not occupied or held by a hold in force', () => {
    fc.assert(
      fc.property(placementArb('p'), (p) => {
        const held = Object.values(p.capacity.holds).filter((t) => t > clock.nowIso).length;
        expect(availableBeds(p.capacity, clock)).toBe(Math.max(0, p.capacity.total - p.capacity.occupied - held));
      }),
      { numRuns: 500 },
    );
  });
});

/** A placement like `p` in everything `needCoverage(need, …)` reads (NEED_COVERAGE_READS), random in the rest. */
const sameCoverageTraits = (p: Placement, need: (typeof YOUTH_NEEDS)[number]) =>
  fc
    .record({
      others: fc.subarray([...SPECIALIZATIONS]),
      level: fc.constantFrom(...MENTAL_HEALTH_LEVELS),
      acceptsPregnant: fc.boolean(),
      acceptsParenting: fc.boolean(),
    })
    .map(({ others, level, acceptsPregnant, acceptsParenting }): Placement => {
      const reads = NEED_COVERAGE_READS[need];
      const read = new Set<string>(reads.specializations);
      return {
        ...p,
        specializations: [...p.specializations.filter((s) => read.has(s)), ...others.filter((s) => !read.has(s))],
        mentalHealthLevel: reads.mentalHealthLevel ? p.mentalHealthLevel : level,
        population: {
          ...p.population,
          acceptsPregnant: reads.acceptsPregnant ? p.population.acceptsPregnant : acceptsPregnant,
          acceptsParenting: reads.acceptsParenting ? p.population.acceptsParenting : acceptsParenting,
        },
      };
    });

describe('scores', () => {
  it('needCoverage reads only what NEED_COVERAGE_READS says it reads', () => {
    fc.assert(
      fc.property(
        placementArb('p').chain((p) => fc.constantFrom(...YOUTH_NEEDS).chain((need) => fc.tuple(fc.constant(p), fc.constant(need), sameCoverageTraits(p, need)))),
        fc.option(fc.constantFrom('outpatient', 'intensive_outpatient', 'residential' as const), { nil: undefined }),
        ([p, need, q], level) => {
          expect(needCoverage(need, q, { mentalHealthLevel: level })).toBe(needCoverage(need, p, { mentalHealthLevel: level }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('placements with the same care-trait key get the same needs and specialisation scores', () => {
    const traitsArb = fc.record({
      specializations: fc.subarray([...SPECIALIZATIONS]),
      traumaModels: fc.subarray([...TRAUMA_MODELS]),
      mentalHealthLevel: fc.constantFrom(...MENTAL_HEALTH_LEVELS),
      acceptsPregnant: fc.boolean(),
      acceptsParenting: fc.boolean(),
    });
    type Traits = Pick<Placement, 'specializations' | 'traumaModels' | 'mentalHealthLevel'> & Pick<Placement['population'], 'acceptsPregnant' | 'acceptsParenting'>;
    const withTraits = (p: Placement, t: Traits): Placement => ({
      ...p,
      specializations: t.specializations,
      traumaModels: t.traumaModels,
      mentalHealthLevel: t.mentalHealthLevel,
      population: { ...p.population, acceptsPregnant: t.acceptsPregnant, acceptsParenting: t.acceptsParenting },
    });
    fc.assert(
      fc.property(placementArb('p'), youthArb, fc.array(traitsArb, { minLength: 2, maxLength: 30 }), (p, y, traits) => {
        const { keyOf: key, keyCount } = compileCareTraitKey(y);
        const seen = new Map<number, [number, number]>();
        for (const t of traits) {
          const q = withTraits(p, t);
          const scores: [number, number] = [needsScore(q, y), specializationScore(q, y)];
          const k = key(q);
          expect(k).toBeGreaterThanOrEqual(0);
          expect(k).toBeLessThan(keyCount);
          const before = seen.get(k);
          if (before) expect(scores).toEqual(before);
          else seen.set(k, scores);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the compiled partial score is exactly the weighted sum of the named components, and its bounds bound it', () => {
    fc.assert(
      fc.property(
        placementArb('p'),
        youthArb,
        policyArb,
        fc.double({ min: 0, max: 3000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...CAPACITY_FRESHNESS),
        (p, y, policy, miles, slack, freshness) => {
          const w = policy.weights;
          const h = policy.matching.distanceHalfLifeMiles;
          const scorer = compilePartialScorer(y, w, h);
          const expected =
            w.needs * needsScore(p, y) +
            w.specialization * specializationScore(p, y) +
            w.distance * distanceScore(miles, h) +
            w.freshness * freshnessScore(freshness) +
            w.language * languageScore(p, y) +
            w.runRisk * runRiskScore(p, y);
          // Twice: the second time from the tables filled by the first.
          expect(scorer.score(p, miles, freshness)).toBe(expected);
          expect(scorer.score(p, miles, freshness)).toBe(expected);
          // Each term as score adds it, or at least it; the bounds added as planRanking adds them.
          expect(scorer.careTerm(p)).toBe(w.needs * needsScore(p, y) + w.specialization * specializationScore(p, y));
          expect(scorer.careTerm(p)).toBeLessThanOrEqual(scorer.bestCareTerm);
          expect(scorer.runRiskTerm(p)).toBe(w.runRisk * runRiskScore(p, y));
          expect(scorer.freshnessTerm[freshness]).toBe(w.freshness * freshnessScore(freshness));
          expect(w.language * languageScore(p, y)).toBeLessThanOrEqual(scorer.bestLanguageTerm);
          expect(w.distance * distanceScore(miles, h)).toBeLessThanOrEqual(scorer.distanceTermAtMost(miles * slack));
          const rest = scorer.distanceTermAtMost(miles * slack) + scorer.freshnessTerm[freshness] + scorer.bestLanguageTerm + scorer.runRiskTerm(p);
          expect(scorer.careTerm(p) + rest).toBeGreaterThanOrEqual(expected - 1e-12);
          expect(scorer.bestCareTerm + rest).toBeGreaterThanOrEqual(expected - 1e-12);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('ServiceFinder telehealth', () => {
  it('finds the best telehealth service serving the placement’s state and county, as a scan of every service does', () => {
    const countiesArb = fc.oneof({ weight: 3, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray(['Travis', 'Bexar County', 'travis county', 'Some']) });
    const teleArb = (id: string) =>
      fc.tuple(serviceArb(id), countiesArb, fc.constantFrom('telehealth', 'both') as fc.Arbitrary<Service['modality']>).map(
        ([s, counties, modality]): Service => ({ ...s, modality, serviceArea: { ...s.serviceArea, counties } }),
      );
    const servicesArb = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => teleArb(`t${String(i).padStart(3, '0')}`))));
    const countyArb = fc.constantFrom('Travis', 'Bexar', 'Some', 'Other');
    fc.assert(
      fc.property(servicesArb, youthArb, fc.array(fc.tuple(placementArb('p'), countyArb), { minLength: 1, maxLength: 6 }), (services, y, places) => {
        // Far from every service's location: only telehealth can serve.
        const finder = new ServiceFinder(services, y, 10);
        for (const [base, county] of places) {
          const p: Placement = { ...base, location: { ...base.location, county, lat: 47, lon: -70 } };
          const got = finder.best('substance_use', p);
          const expected = bruteForceTelehealth(services, y, p);
          expect(got?.serviceId ?? null).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The best telehealth substance-use service for `p` by the rules of wraparound.ts, scanning every service. */
function bruteForceTelehealth(services: Service[], y: ResolvedYouth, p: Placement): string | null {
  const countyKey = (c: string | undefined) => (c ?? '').trim().toLowerCase().replace(/\s+county$/, '');
  let best: { id: string; q: number } | null = null;
  for (const s of services) {
    if (s.category !== 'substance_use_treatment' || s.modality === 'in_person' || s.active === false) continue;
    if (y.profile.age < s.population.minAge || y.profile.age > s.population.maxAge || !s.population.genders.includes(y.profile.gender)) continue;
    if (y.profile.languages.length > 0 && !y.profile.languages.some((l) => s.languages.includes(l))) continue;
    const states = s.serviceArea.states;
    if (states.length > 0 ? !states.includes(p.location.state) : s.location.state !== p.location.state) continue;
    const counties = s.serviceArea.counties;
    if (counties.length > 0 && !counties.some((c) => countyKey(c) === countyKey(p.location.county))) continue;
    const q = (s.waitDays ?? 0) > 14 || s.openSlots === 0 ? 0.6 : 1;
    if (!best || q > best.q || (q === best.q && s.id < best.id)) best = { id: s.id, q };
  }
  return best?.id ?? null;
}

/**
 * The ranking done the plain way: every candidate's view, rules and (if eligible) full score with
 * its wraparound, then sorts. Slow and obviously right; rankPlacements must give the same answer.
 */
function plainRanking(y: ResolvedYouth, placements: Placement[], services: Service[], policy: Policy, options: RankOptions) {
  const maxDistanceMiles = y.profile.preferences.maxDistanceMiles ?? policy.matching.defaultMaxDistanceMiles;
  const ctx: RuleContext = { youth: y, maxDistanceMiles, includeFull: options.includeFull, today: NOW.toISOString().slice(0, 10) };
  const finder = new ServiceFinder(services, y, policy.matching.wraparoundRadiusMiles, maxDistanceMiles);
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const eligible: { id: string; score: number; d: number }[] = [];
  const excluded: { id: string; rules: HardRuleCode[]; d: number; stale: boolean }[] = [];
  const byRule: Partial<Record<HardRuleCode, number>> = {};
  let withOpenBed = 0;
  for (const p of placements) {
    const c = candidateOf(p, y.point, clock);
    const rules = brokenRules(c, ctx);
    if (rules.length > 0) {
      for (const r of rules) byRule[r] = (byRule[r] ?? 0) + 1;
      excluded.push({ id: p.id, rules, d: c.distanceMiles, stale: c.freshness === 'stale' || c.freshness === 'unknown' });
      continue;
    }
    if (c.available > 0) withOpenBed++;
    const components: Components = {
      needs: needsScore(p, y),
      specialization: specializationScore(p, y),
      distance: distanceScore(scoredDistanceMiles(c, y), policy.matching.distanceHalfLifeMiles),
      freshness: freshnessScore(c.freshness),
      language: languageScore(p, y),
      runRisk: runRiskScore(p, y),
      wraparound: wraparoundFor(p, y, finder).score,
    };
    eligible.push({ id: p.id, score: combine(components, policy.weights), d: c.distanceMiles });
  }
  eligible.sort((a, b) => b.score - a.score || a.d - b.d || byId(a.id, b.id));
  const nearest = (a: { d: number; id: string }, b: { d: number; id: string }) => a.d - b.d || byId(a.id, b.id);
  const top = eligible.slice(0, Math.max(0, options.limit));
  return {
    results: top.map((r) => ({ placementId: r.id, score: Math.round(r.score * 1000) / 1000 })),
    excluded: options.explainExcluded ? [...excluded].sort((a, b) => a.rules.length - b.rules.length || nearest(a, b)).slice(0, options.excludedLimit ?? 50).map((x) => ({ placementId: x.id, rules: x.rules })) : [],
    counts: { candidates: placements.length, eligible: eligible.length, eligibleWithOpenBed: withOpenBed, returned: top.length, excluded: excluded.length, excludedByRule: byRule },
    nearestExcluded: [...excluded].sort(nearest).slice(0, 5).map((x) => ({ distanceMiles: Math.round(x.d * 10) / 10, rules: x.rules })),
    fullButStale: excluded
      .filter((x) => x.rules.length === 1 && x.rules[0] === 'no_bed_available' && x.stale)
      .sort(nearest)
      .slice(0, Math.max(0, options.limit))
      .map((x) => x.id),
  };
}

const optionsArb: fc.Arbitrary<RankOptions> = fc.record({
  limit: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(1000)),
  includeFull: fc.boolean(),
  explainExcluded: fc.boolean(),
  excludedLimit: fc.integer({ min: 1, max: 8 }),
});

describe('rankPlacements against the plain ranking', () => {
  it('gives the same results, scores, order, exclusions, counts and counts to confirm', () => {
    fc.assert(
      fc.property(directoryArb(40, 30), youthWithStayNearArb, policyArb, optionsArb, ({ placements, services }, y, policy, options) => {
        const out: RankOutcome = rankPlacements({ youth: y, placements, services, policy, now: NOW, options });
        const plain = plainRanking(y, placements, services, policy, options);
        expect(out.results.map((r) => ({ placementId: r.placementId, score: r.score }))).toEqual(plain.results);
        expect(out.excluded.map((x) => ({ placementId: x.placementId, rules: x.rules }))).toEqual(plain.excluded);
        expect(out.counts).toEqual(plain.counts);
        expect(out.nearestExcluded).toEqual(plain.nearestExcluded);
        const stale = new Set(out.results.filter((r) => r.freshness === 'stale' || r.freshness === 'unknown').map((r) => r.placementId));
        expect(out.countsToConfirm.map((c) => c.placementId)).toEqual([...out.results.map((r) => r.placementId).filter((id) => stale.has(id)), ...plain.fullButStale]);
      }),
      { numRuns: 400 },
    );
  });

  it('the contenders are exactly the eligible candidates whose best possible score reaches the k-th worst-case one', () => {
    fc.assert(
      fc.property(directoryArb(60, 0), youthWithStayNearArb, policyArb, fc.integer({ min: 1, max: 8 }), ({ placements }, y, policy, limit) => {
        const options: RankOptions = { limit, includeFull: false, explainExcluded: false };
        const plan = planRanking({ youth: y, placements, policy, now: NOW, options });
        // Every eligible candidate scored exactly, as in the specification of the plan.
        const maxDistanceMiles = y.profile.preferences.maxDistanceMiles ?? policy.matching.defaultMaxDistanceMiles;
        const ctx: RuleContext = { youth: y, maxDistanceMiles, includeFull: false, today: NOW.toISOString().slice(0, 10) };
        const w = policy.weights;
        const weightSum = w.needs + w.specialization + w.distance + w.freshness + w.language + w.runRisk + w.wraparound;
        const eligible = placements
          .map((p) => candidateOf(p, y.point, clock))
          .filter((c) => brokenRules(c, ctx).length === 0)
          .map((c) => {
            const p = c.placement;
            const base =
              w.needs * needsScore(p, y) +
              w.specialization * specializationScore(p, y) +
              w.distance * distanceScore(scoredDistanceMiles(c, y), policy.matching.distanceHalfLifeMiles) +
              w.freshness * freshnessScore(c.freshness) +
              w.language * languageScore(p, y) +
              w.runRisk * runRiskScore(p, y);
            return { id: p.id, base, bound: weightSum === 0 ? 0 : (base + w.wraparound) / weightSum };
          });
        const kth = [...eligible].sort((a, b) => b.base - a.base)[limit - 1]?.base;
        const floor = weightSum === 0 || kth === undefined ? -Infinity : kth / weightSum;
        const expected = eligible.filter((e) => floor === -Infinity || e.bound >= floor).map((e) => e.id);
        expect(plan.contenders.map((p) => p.id)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});

describe('keep-away areas in a whole ranking', () => {
  it('a placement inside any keep-away area is excluded for it, and only such a placement', () => {
    fc.assert(
      fc.property(directoryArb(30, 0), youthArb, fc.array(keepAwayArb, { minLength: 1, maxLength: 3 }), ({ placements }, y, areas) => {
        const safer: ResolvedYouth = { ...y, keepAway: areas };
        const out = rankPlacements({ youth: safer, placements, services: [], policy: DEFAULT_POLICY, now: NOW, options: { limit: 1000, includeFull: true, explainExcluded: true, excludedLimit: 1000 } });
        const inside = new Set(placements.filter((p) => areas.some((a) => distanceMiles(a, p.location) <= a.radiusMiles)).map((p) => p.id));
        for (const x of out.excluded) expect(x.rules.includes('keep_away_area')).toBe(inside.has(x.placementId));
        for (const r of out.results) expect(inside.has(r.placementId)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
