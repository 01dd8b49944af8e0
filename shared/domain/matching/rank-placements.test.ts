import { describe, expect, it } from 'vitest';
import { minutesAgo, placement, policyWith, rank, service, youth } from './fixtures/builders';

describe('rankPlacements', () => {
  const y = youth({});

  it('breaks score ties by distance, then by placement id', () => {
    // Prepare: identical programs; two at the same spot, one further away.
    const twinB = placement('b', 'austin');
    const twinA = placement('a', 'austin');
    const further = placement('c', 'austin', { location: { lat: 30.3, lon: -97.74 } });
    // Act: with only freshness weighted, all three score the same.
    const out = rank(y, [further, twinB, twinA], [], {}, policyWith({ weights: { needs: 0, specialization: 0, distance: 0, language: 0, runRisk: 0, wraparound: 0 } }));
    // Assess
    expect(out.results.map((r) => r.score)).toEqual([1, 1, 1]);
    expect(out.results.map((r) => r.placementId)).toEqual(['a', 'b', 'c']);
  });

  it('returns at most `limit` results and counts the rest', () => {
    const ps = ['a', 'b', 'c', 'd'].map((id) => placement(id, 'austin'));
    const out = rank(y, [...ps, placement('x', 'austin', { active: false })], [], { limit: 2 });
    expect(out.results).toHaveLength(2);
    expect(out.counts).toEqual({ candidates: 5, eligible: 4, eligibleWithOpenBed: 4, returned: 2, excluded: 1, excludedByRule: { inactive: 1 } });
  });

  it('explains excluded programs only when asked, nearest to eligible first, up to the limit', () => {
    const one = placement('one', 'waco', { active: false });
    const two = placement('two', 'austin', { active: false, license: { expires: '2020-01-01' } });
    const oneNear = placement('one-near', 'austin', { active: false });
    expect(rank(y, [one, two, oneNear], [], { explainExcluded: false }).excluded).toEqual([]);
    const out = rank(y, [one, two, oneNear], [], { excludedLimit: 2 });
    expect(out.excluded.map((x) => x.placementId)).toEqual(['one-near', 'one']);
    expect(out.counts.excluded).toBe(3);
  });

  it('lists stale or never-reported counts it relied on, and stale "full" programs nearby', () => {
    const stale = placement('stale', 'austin', { capacity: { updatedAt: minutesAgo(60 * 20) } });
    const unknown = placement('unknown', 'austin', { capacity: { updatedAt: null } });
    const fresh = placement('fresh', 'austin');
    const staleFull = placement('stale-full', 'austin', { capacity: { total: 2, occupied: 2, updatedAt: minutesAgo(60 * 20) } });
    const freshFull = placement('fresh-full', 'austin', { capacity: { total: 2, occupied: 2 } });
    const out = rank(y, [stale, unknown, fresh, staleFull, freshFull]);
    expect(out.countsToConfirm.map((c) => c.placementId).sort()).toEqual(['stale', 'stale-full', 'unknown']);
    expect(out.countsToConfirm.find((c) => c.placementId === 'unknown')).toMatchObject({ freshness: 'unknown', countReportedAt: null, state: 'TX' });
  });

  it('names wraparound services and rounds what it reports', () => {
    const sy = youth({ needs: ['substance_use'] });
    const out = rank(sy, [placement('p', 'austin')], [service('s', 'austin', { category: 'substance_use_treatment', location: { lat: 30.3, lon: -97.74 } })]);
    const [r] = out.results;
    expect(r!.wraparound).toEqual([
      expect.objectContaining({ need: 'substance_use', serviceId: 's', modality: 'in_person', distanceMiles: 2.3 }),
    ]);
    expect(r!.components.wraparound).toBeGreaterThan(0.9);
    expect(Number.isInteger(r!.score * 1000)).toBe(true);
  });

  it('scores 0 everywhere when an admin sets every weight to 0, and still ranks deterministically', () => {
    const zero = policyWith({ weights: { needs: 0, specialization: 0, distance: 0, freshness: 0, language: 0, runRisk: 0, wraparound: 0 } });
    const out = rank(y, [placement('b', 'austin'), placement('a', 'austin')], [], {}, zero);
    expect(out.results.map((r) => [r.placementId, r.score])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });
});
