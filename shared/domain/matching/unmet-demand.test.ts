import { describe, expect, it } from 'vitest';
import { NOW, placement, rank, youth } from './fixtures/builders';
import type { UnmetDemandEntry } from './unmet-demand';
import { ageBand, monthsBetween, summariseUnmetDemand, unmetDemandEntry } from './unmet-demand';

describe('unmet demand', () => {
  it('records nothing when the youth had somewhere to go', () => {
    const y = youth({});
    expect(unmetDemandEntry(y, rank(y, [placement('p', 'austin')]), NOW, 'u1')).toBeUndefined();
  });

  it('records a de-identified entry when nothing with an open bed passed the rules', () => {
    const y = youth({
      caseRef: 'TX-0042117',
      age: 16,
      needs: ['substance_use', 'csec_confirmed'],
      runRisk: 'high',
      keepAway: [{ zip: '78205', radiusMiles: 10 }],
      behaviors: ['violence'],
    });
    const full = placement('full', 'austin', { capacity: { total: 1, occupied: 1 } });
    const boys = placement('boys', 'austin', { population: { genders: ['male'] } });
    // Even when full programs are included (ranked), there is still no open bed: unmet demand.
    const entry = unmetDemandEntry(y, rank(y, [full, boys], [], { includeFull: true }), NOW, 'u1');
    expect(entry).toEqual({
      id: 'u1',
      date: '2026-11-21',
      month: '2026-11',
      state: 'TX',
      ageBand: '16-17',
      gender: 'female',
      needs: ['csec_confirmed', 'substance_use'],
      runRisk: 'high',
      candidates: 2,
      nearestRules: { gender_not_served: 1 },
    });
    // Nothing that could point to the youth: no case reference, location, areas, exact age or behaviours.
    const text = JSON.stringify(entry);
    for (const secret of ['TX-0042117', '78205', 'violence', '"age"', 'lat', 'lon']) expect(text).not.toContain(secret);
  });

  it('bands ages in two-year steps', () => {
    expect([9, 12, 13, 14, 15, 16, 17, 18, 21].map(ageBand)).toEqual(['under 12', '12-13', '12-13', '14-15', '14-15', '16-17', '16-17', '18+', '18+']);
  });

  it('counts by need, state, month, age band, gender and rule', () => {
    const e = (over: Partial<UnmetDemandEntry>): UnmetDemandEntry => ({
      id: 'x',
      date: '2026-10-01',
      month: '2026-10',
      state: 'TX',
      ageBand: '14-15',
      gender: 'female',
      needs: [],
      candidates: 3,
      nearestRules: {},
      ...over,
    });
    const report = summariseUnmetDemand(
      [
        e({ needs: ['csec_confirmed', 'pregnant'], nearestRules: { no_bed_available: 2 } }),
        e({ needs: ['csec_confirmed'], state: 'OK', month: '2026-11', nearestRules: { no_bed_available: 1, too_far: 1 } }),
        e({}),
      ],
      { from: '2026-01', to: '2026-12', states: 'all' },
    );
    expect(report).toMatchObject({
      total: 3,
      byNeed: { csec_confirmed: 2, none: 1, pregnant: 1 },
      byState: { OK: 1, TX: 2 },
      byMonth: { '2026-10': 2, '2026-11': 1 },
      byRule: { no_bed_available: 3, too_far: 1 },
      byGender: { female: 3 },
    });
    expect(report.rows).toEqual([
      { month: '2026-10', state: 'TX', need: 'csec_confirmed', count: 1 },
      { month: '2026-10', state: 'TX', need: 'none', count: 1 },
      { month: '2026-10', state: 'TX', need: 'pregnant', count: 1 },
      { month: '2026-11', state: 'OK', need: 'csec_confirmed', count: 1 },
    ]);
  });

  it('lists the months of a range across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
  });
});
