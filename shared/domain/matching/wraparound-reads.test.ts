import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMiles } from '../geo';
import { DEFAULT_POLICY } from '../policy';
import { directoryArb, youthArb } from './fixtures/arbitraries';
import { ALL, NOW, rank } from './fixtures/builders';
import { finishRanking, planRanking } from './rank-placements';
import type { Service } from '../../schemas/directory';
import { servicesAMatchReads, telehealthListingHead as listingHead } from './fixtures/service-reads';
import { wraparoundReads } from './wraparound-reads';
import type { ResolvedYouth } from './youth';

describe('wraparound reads', () => {
  it('the in-person services of each category near the contenders with a gap it fills, and the heads of its telehealth listings in their states, are all the ranking needs', () => {
    fc.assert(
      fc.property(directoryArb(30, 60), youthArb, fc.integer({ min: 1, max: 10 }), ({ placements, services }, y, limit) => {
        const options = { ...ALL, limit };
        const plan = planRanking({ youth: y, placements, policy: DEFAULT_POLICY, now: NOW, options });
        const reads = wraparoundReads(plan.contenders, y);
        const radius = DEFAULT_POLICY.matching.wraparoundRadiusMiles;
        const inPerson = services.filter((s) => s.modality !== 'telehealth' && (reads.get(s.category) ?? []).some((point) => distanceMiles(point, s.location) <= radius));
        const telehealth = [...reads].flatMap(([category, places]) => [...new Set(places.map((p) => p.state))].flatMap((state) => listingHead(services, category, state, y)));
        const expected = rank(y, placements, services, options);
        expect(finishRanking(plan, [...new Set([...inPerson, ...telehealth])])).toEqual(expected);
        // And exactly what the index returns (cell spans hold more than the circles).
        const again = planRanking({ youth: y, placements, policy: DEFAULT_POLICY, now: NOW, options });
        expect(finishRanking(again, servicesAMatchReads(services, reads, radius, y))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    // 300 rankings, each twice, take 1–2 s alone and ran past the default 5 s on a loaded machine.
  }, 30_000);

  it('a telehealth listing is read only to the first service that takes the youth statewide', () => {
    const youth = { profile: { age: 15, gender: 'female', languages: [] } } as unknown as ResolvedYouth;
    const tele = (id: string, over: Partial<Service>) =>
      ({ id, category: 'csec_counseling', modality: 'telehealth', active: true, location: { state: 'TX' }, serviceArea: { states: ['TX'], counties: [] }, population: { minAge: 10, maxAge: 21, genders: ['female'] }, languages: ['en'], ...over }) as Service;
    const listing = [
      tele('a', { waitDays: 30 }),
      tele('b', { serviceArea: { states: ['TX'], counties: ['Travis'] } }),
      tele('c', { population: { minAge: 17, maxAge: 21, genders: ['female'] } }),
      tele('d', {}),
      tele('e', {}),
    ];
    expect(listingHead(listing, 'csec_counseling', 'TX', youth).map((s) => s.id)).toStrictEqual(['b', 'c', 'd']);
    expect(listingHead(listing, 'csec_counseling', 'OK', youth)).toStrictEqual([]);
  });

  it('reads nothing around a contender that meets every need itself, and only the categories of its gaps otherwise', () => {
    const youth = { profile: { needs: ['csec_confirmed', 'substance_use'], mentalHealthLevel: undefined } } as never;
    const both = { specializations: ['csec', 'substance_use'], location: { lat: 30, lon: -97 } } as never;
    const noSubstance = { specializations: ['csec'], location: { lat: 31, lon: -97 } } as never;
    const neither = { specializations: ['trauma_informed'], location: { lat: 32, lon: -97 } } as never;
    expect(wraparoundReads([both], youth).size).toBe(0);
    expect([...wraparoundReads([both, noSubstance], youth)]).toStrictEqual([['substance_use_treatment', [{ lat: 31, lon: -97 }]]]);
    const all = wraparoundReads([noSubstance, neither], youth);
    expect(all.get('csec_counseling')).toStrictEqual([{ lat: 32, lon: -97 }]);
    expect(all.get('survivor_mentoring')).toStrictEqual([{ lat: 32, lon: -97 }]);
    expect(all.get('substance_use_treatment')).toHaveLength(2);
  });
});
