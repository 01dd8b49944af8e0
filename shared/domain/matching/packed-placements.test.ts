import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy';
import { lastReportedAt } from '../capacity';
import type { Placement } from '../../schemas/directory';
import { availableBeds, availableBedsAt, candidateClock, fastFreshness, packedFreshness } from './candidate';
import { placementArb, youthArb } from './fixtures/arbitraries';
import { NOW } from './fixtures/builders';
import type { RuleContext } from './hard-rules';
import { compileRulesButDistance, compileRulesOnPacked } from './hard-rules';
import { dayNumber, isoMs, PACKED, PackedPlacements } from './packed-placements';
import { compileCareTraitKey, compilePartialScorer } from './scores';

/**
 * The packed columns against the objects they are packed from: every rule, key, count of open
 * beds and freshness read from the columns is exactly what the named and compiled functions read
 * from the placement — for placements the schemas allow and for ones they do not (words outside
 * the vocabulary, odd dates), which are judged from the object.
 */

const clock = candidateClock(NOW);

/** Values older code or a hand-edited item might hold: each makes the placement irregular or unreadable as a number. */
const oddities: ((p: Placement) => Placement)[] = [
  (p) => ({ ...p, population: { ...p.population, genders: [...p.population.genders, 'other' as never] } }),
  (p) => ({ ...p, population: { ...p.population, maxAge: 300 } }),
  (p) => ({ ...p, population: { ...p.population, minAge: 12.5 } }),
  (p) => ({ ...p, type: 'igloo' as never }),
  (p) => ({ ...p, license: { ...p.license, expires: '2030/01/01' } }),
  (p) => ({ ...p, exclusions: ['arson' as never] }),
  (p) => ({ ...p, specializations: ['yoga' as never] }),
  (p) => ({ ...p, mentalHealthLevel: 'weekly' as never }),
  (p) => ({ ...p, location: { ...p.location, state: 'XX' as never } }),
  (p) => ({ ...p, capacity: { ...p.capacity, updatedAt: '2026-11-21 10:00', confirmedAt: null } }),
  (p) => ({ ...p, capacity: { ...p.capacity, holds: { ...p.capacity.holds, odd: 'tomorrow' } } }),
];
const placementsArb = fc.array(
  fc.tuple(placementArb('p'), fc.option(fc.constantFrom(...oddities), { nil: undefined })).map(([p, odd]) => (odd ? odd(p) : p)),
  { minLength: 1, maxLength: 12 },
);
const ruleContext = (youth: RuleContext['youth'], includeFull: boolean): RuleContext => ({ youth, maxDistanceMiles: 300, includeFull, today: clock.nowIso.slice(0, 10) });

describe('packed placements', () => {
  it('the rules read from the columns give exactly the mask the compiled rules give on the object', () => {
    fc.assert(
      fc.property(youthArb, placementsArb, fc.boolean(), (youth, placements, includeFull) => {
        const ctx = ruleContext(youth, includeFull);
        const packed = PackedPlacements.of(placements);
        const onPacked = compileRulesOnPacked(ctx, packed);
        const onObject = compileRulesButDistance(ctx);
        placements.forEach((p, i) => {
          const available = availableBeds(p.capacity, clock);
          expect(onPacked(i, available <= 0)).toBe(onObject(p, available));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('open beds, freshness, and the care and run-risk terms read from the columns are those of the object', () => {
    fc.assert(
      fc.property(youthArb, placementsArb, (youth, placements) => {
        const packed = PackedPlacements.of(placements);
        const scorer = compilePartialScorer(youth, DEFAULT_POLICY.weights, DEFAULT_POLICY.matching.distanceHalfLifeMiles);
        const { keyOf, keyOfPacked } = compileCareTraitKey(youth);
        placements.forEach((p, i) => {
          expect(availableBedsAt(packed, i, clock)).toBe(availableBeds(p.capacity, clock));
          const fromColumn = packedFreshness(packed.reportedAt[i]!, clock);
          if (fromColumn !== undefined) expect(fromColumn).toBe(fastFreshness(lastReportedAt(p.capacity), clock));
          expect(scorer.careTermAt(packed, i)).toBe(scorer.careTerm(p));
          expect(scorer.runRiskTermAt(packed, i)).toBe(scorer.runRiskTerm(p));
          if (!(packed.flags[i]! & PACKED.IRREGULAR)) expect(keyOfPacked(packed.care[i]!, packed.flags[i]!)).toBe(keyOf(p));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('a placement with a value outside the vocabulary is marked irregular, not misread', () => {
    const p = fc.sample(placementArb('p'), { numRuns: 1, seed: 7 })[0]!;
    for (const odd of oddities.slice(0, 7).concat(oddities[8]!)) expect(PackedPlacements.of([odd(p)]).flags[0]! & PACKED.IRREGULAR).toBe(PACKED.IRREGULAR);
    expect(PackedPlacements.of([p]).flags[0]! & PACKED.IRREGULAR).toBe(0);
  });
});

describe('isoMs and dayNumber', () => {
  it('read a canonical time as Date.parse does, so that the numbers compare as the strings do', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0100-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), fc.date({ min: new Date('0100-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (a, b) => {
        const [s, t] = [a.toISOString(), b.toISOString()];
        expect(isoMs(s)).toBe(Date.parse(s));
        expect(Math.sign(isoMs(s) - isoMs(t))).toBe(s < t ? -1 : s > t ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('read nothing else', () => {
    for (const odd of ['2026-02-29T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-11-31T00:00:00.000Z', '2026-11-21T24:00:00.000Z', '2026-11-21T10:00:00Z', '2026-11-21 10:00:00.000Z', '0099-01-01T00:00:00.000Z', '2026-1a-21T10:00:00.000Z', '', null, 5]) {
      expect(isoMs(odd)).toBeNaN();
    }
    expect(isoMs('2024-02-29T23:59:59.999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(dayNumber('2030-12-31')).toBe(20301231);
    for (const odd of ['2030/12/31', '2030-12-3', '2030-1a-31', undefined]) expect(dayNumber(odd)).toBe(-1);
  });
});
