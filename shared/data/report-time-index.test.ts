import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRESH_FOR_MS, freshnessOf, STALE_AFTER_MS } from '../domain/capacity';
import { reportTimeIndexKeys, reportTimeRange, reportTimeSortKey } from './report-time-index';

const NOW = new Date('2026-11-22T12:00:00.000Z');
type Listed = 'aging' | 'stale' | 'unknown';
const BANDS: Listed[] = ['aging', 'stale', 'unknown'];

const inRange = (key: string, range: { from: string; to: string }) => key >= range.from && key <= range.to;
const keyAt = (msBeforeNow: number | null) => reportTimeSortKey(msBeforeNow === null ? null : new Date(NOW.getTime() - msBeforeNow).toISOString(), 'plc-a1b2');

describe('the report-time index', () => {
  it('sorts never-reported counts first, then by report time, whatever the ISO form stored', () => {
    const keys = [reportTimeSortKey('2026-11-22T10:00:00Z', 'plc-2'), reportTimeSortKey(null, 'plc-9'), reportTimeSortKey('2026-11-22T09:59:59.999Z', 'plc-3')];
    expect(keys.sort()).toEqual(['0#plc-9', '2026-11-22T09:59:59.999Z#plc-3', '2026-11-22T10:00:00.000Z#plc-2']);
  });

  it('keys a placement by its state and the later of its last update and confirmation; an inactive one is left out', () => {
    const capacity = { updatedAt: '2026-11-20T08:00:00.000Z', confirmedAt: '2026-11-21T08:00:00.000Z' };
    const placement = { id: 'plc-1', active: true, location: { state: 'TX' }, capacity };
    expect(reportTimeIndexKeys(placement)).toEqual({ gsi5pk: 'PLACEMENT#STATE#TX', gsi5sk: '2026-11-21T08:00:00.000Z#plc-1' });
    expect(reportTimeIndexKeys({ ...placement, active: false })).not.toHaveProperty('gsi5pk');
  });

  it.each([
    // [ms before now, bands asked, in the range]
    [STALE_AFTER_MS + 1, ['stale'], true],
    [STALE_AFTER_MS, ['stale'], false], // exactly 8 h is aging
    [STALE_AFTER_MS, ['aging'], true],
    [FRESH_FOR_MS, ['aging'], true], // exactly 2 h is aging
    [FRESH_FOR_MS - 1, ['aging', 'stale', 'unknown'], false], // fresh is never read
    [null, ['stale'], false],
    [null, ['unknown'], true],
    [STALE_AFTER_MS + 1, ['unknown'], false],
  ] as [number | null, Listed[], boolean][])('a count reported %s ms ago, asked for %j: in the range %s', (ago, wanted, expected) => {
    expect(inRange(keyAt(ago), reportTimeRange(wanted, NOW))).toBe(expected);
  });

  it('holds every count of a band asked, and never a fresh one or an unknown one not asked (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -60_000, max: 30 * 24 * 3_600_000 }), { nil: null }),
        fc.subarray(BANDS, { minLength: 1 }),
        (ago, wanted) => {
          const freshness = freshnessOf(ago === null ? null : new Date(NOW.getTime() - ago).toISOString(), NOW);
          const listed = inRange(keyAt(ago), reportTimeRange(wanted, NOW));
          if ((wanted as string[]).includes(freshness)) expect(listed).toBe(true);
          if (freshness === 'fresh' || (freshness === 'unknown' && !wanted.includes('unknown'))) expect(listed).toBe(false);
        },
      ),
    );
  });
});
