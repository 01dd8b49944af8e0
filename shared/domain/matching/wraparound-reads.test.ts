import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMiles } from '../geo';
import { DEFAULT_POLICY } from '../policy';
import { directoryArb, youthArb } from './fixtures/arbitraries';
import { ALL, NOW, rank } from './fixtures/builders';
import { finishRanking, planRanking } from './rank-placements';
import { wraparoundReads } from './wraparound-reads';

describe('wraparound reads', () => {
  it('the in-person services of each category near the contenders with a gap it fills are all the ranking needs', () => {
    fc.assert(
      fc.property(directoryArb(30, 60), youthArb, fc.integer({ min: 1, max: 10 }), ({ placements, services }, y, limit) => {
        const options = { ...ALL, limit };
        const plan = planRanking({ youth: y, placements, policy: DEFAULT_POLICY, now: NOW, options });
        const reads = wraparoundReads(plan.contenders, y);
        const radius = DEFAULT_POLICY.matching.wraparoundRadiusMiles;
        const read = services.filter((s) => s.modality !== 'in_person' || (reads.get(s.category) ?? []).some((point) => distanceMiles(point, s.location) <= radius));
        expect(finishRanking(plan, read)).toEqual(rank(y, placements, services, options));
      }),
      { numRuns: 200 },
    );
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
