import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMiles } from '../geo';
import type { Placement } from '../../schemas/directory';
import { directoryArb, keepAwayArb, youthArb } from './fixtures/arbitraries';
import { ALL, NOW, rank } from './fixtures/builders';
import { finishRanking, planRanking } from './rank-placements';
import { DEFAULT_POLICY } from '../policy';
import type { ResolvedYouth } from './youth';

/**
 * Properties of the matcher over random directories and random youth. `ALL` returns every
 * eligible placement and explains every excluded one, so "returned" and "excluded" partition
 * the candidates.
 */

/**
 * An independent oracle of the hard rules (written from DESIGN.md §4, not from hard-rules.ts):
 * true when the placement must not be offered to this youth.
 */
function mustNotOffer(p: Placement, y: ResolvedYouth, includeFull: boolean): boolean {
  const now = NOW.toISOString();
  const heldBeds = Object.values(p.capacity.holds).filter((t) => t > now).length;
  const open = p.capacity.total - p.capacity.occupied - heldBeds;
  const max = y.profile.preferences.maxDistanceMiles ?? DEFAULT_POLICY.matching.defaultMaxDistanceMiles;
  return (
    !p.active ||
    (!includeFull && open <= 0) ||
    y.profile.age < p.population.minAge ||
    y.profile.age > p.population.maxAge ||
    !p.population.genders.includes(y.profile.gender) ||
    y.profile.behaviors.some((b) => p.exclusions.includes(b)) ||
    y.keepAway.some((a) => distanceMiles(a, p.location) <= a.radiusMiles) ||
    distanceMiles(y.point, p.location) > max ||
    (!p.acceptsOutOfState && p.location.state !== y.state) ||
    (y.profile.needs.includes('pregnant') && !p.population.acceptsPregnant) ||
    (y.profile.needs.includes('parenting') && !p.population.acceptsParenting) ||
    p.license.expires < NOW.toISOString().slice(0, 10) ||
    (y.profile.preferences.placementTypes !== undefined && !y.profile.preferences.placementTypes.includes(p.type))
  );
}

const ids = (xs: { placementId: string }[]) => xs.map((x) => x.placementId);

describe('rankPlacements properties', () => {
  it('no returned placement breaks a hard rule', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, fc.boolean(), ({ placements, services }, y, includeFull) => {
        const out = rank(y, placements, services, { includeFull });
        const byId = new Map(placements.map((p) => [p.id, p]));
        for (const r of out.results) expect(mustNotOffer(byId.get(r.placementId)!, y, includeFull)).toBe(false);
        // …and the oracle agrees that every excluded one must not be offered.
        for (const x of out.excluded) expect(mustNotOffer(byId.get(x.placementId)!, y, includeFull)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('every placement is either returned or excluded with at least one rule, never both', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, ({ placements, services }, y) => {
        const out = rank(y, placements, services);
        const returned = new Set(ids(out.results));
        const excluded = new Set(ids(out.excluded));
        for (const p of placements) expect(returned.has(p.id) !== excluded.has(p.id)).toBe(true);
        for (const x of out.excluded) {
          expect(x.rules.length).toBeGreaterThan(0);
          expect(x.whatWouldChange.length).toBeGreaterThan(0);
        }
        expect(out.counts).toMatchObject({ candidates: placements.length, returned: returned.size, excluded: excluded.size });
      }),
      { numRuns: 150 },
    );
  });

  it('the same request gives the same answer, whatever order the index returned the candidates in', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, fc.integer(), ({ placements, services }, y, seed) => {
        const first = rank(y, placements, services);
        expect(rank(y, placements, services)).toEqual(first);
        // A seeded shuffle: the geo index gives no order guarantee across cells.
        const shuffled = [...placements].sort((a, b) => hash(a.id, seed) - hash(b.id, seed));
        const shuffledServices = [...services].reverse();
        expect(rank(y, shuffled, shuffledServices)).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it('adding a keep-away area never adds a result', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, keepAwayArb, ({ placements, services }, y, area) => {
        const before = new Set(ids(rank(y, placements, services).results));
        const safer: ResolvedYouth = { ...y, keepAway: [...y.keepAway, area] };
        for (const id of ids(rank(safer, placements, services).results)) expect(before.has(id)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('raising a placement’s freshness never lowers its rank', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, fc.nat(), fc.integer({ min: 0, max: 60 * 24 * 3 }), ({ placements, services }, y, pick, minutesAgo) => {
        if (placements.length === 0) return;
        const target = placements[pick % placements.length]!;
        const before = ids(rank(y, placements, services).results).indexOf(target.id);
        // Confirm the count more recently than anything it had: freshness can only go up.
        const last = [target.capacity.updatedAt, target.capacity.confirmedAt].filter((t): t is string => t !== null).sort().at(-1);
        const newer = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
        if (last && newer <= last) return;
        const raised: Placement = { ...target, capacity: { ...target.capacity, confirmedAt: newer } };
        const after = ids(rank(y, placements.map((p) => (p.id === target.id ? raised : p)), services).results).indexOf(target.id);
        if (before === -1) {
          expect(after).toBe(-1); // freshness is not a hard rule: an excluded placement stays excluded
        } else {
          expect(after).toBeGreaterThanOrEqual(0);
          expect(after).toBeLessThanOrEqual(before);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('asking for the top k gives exactly the first k of the full ranking', () => {
    fc.assert(
      fc.property(directoryArb(40, 40), youthArb, fc.integer({ min: 1, max: 8 }), ({ placements, services }, y, k) => {
        const full = rank(y, placements, services).results;
        const top = rank(y, placements, services, { limit: k }).results;
        expect(top).toEqual(full.slice(0, k));
      }),
      { numRuns: 150 },
    );
  });

  it('in-person services near the contenders are all the ranking needs (the service layer reads only those)', () => {
    fc.assert(
      fc.property(directoryArb(30, 60), youthArb, fc.integer({ min: 1, max: 10 }), ({ placements, services }, y, limit) => {
        const options = { ...ALL, limit };
        const plan = planRanking({ youth: y, placements, policy: DEFAULT_POLICY, now: NOW, options });
        const radius = DEFAULT_POLICY.matching.wraparoundRadiusMiles;
        const near = services.filter((s) => s.modality !== 'in_person' || plan.contenders.some((p) => distanceMiles(p.location, s.location) <= radius));
        expect(finishRanking(plan, near)).toEqual(rank(y, placements, services, options));
      }),
      { numRuns: 150 },
    );
  });

  it('results are ordered by score, best first, and every component and score lies in 0..1', () => {
    fc.assert(
      fc.property(directoryArb(), youthArb, ({ placements, services }, y) => {
        const { results } = rank(y, placements, services, { ...ALL, includeFull: true });
        for (let i = 1; i < results.length; i++) expect(results[i - 1]!.score).toBeGreaterThanOrEqual(results[i]!.score);
        for (const r of results) {
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1);
          for (const v of Object.values(r.components)) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
          expect(r.reasons.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 2654435761);
  return h >>> 0;
}
