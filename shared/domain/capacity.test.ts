import { describe, expect, it } from 'vitest';
import { InvariantViolated } from '../errors';
import { activeHoldCount, assertCapacityInvariants, capacityView, freshnessOf, initialCapacity, lastReportedAt } from './capacity';

const now = new Date('2026-11-21T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe('capacity invariants', () => {
  // Each invariant of DESIGN.md §3 is broken once, and must be refused with its own code.
  it.each([
    [{ total: -1, occupied: 0, onHold: 0 }, 'capacity_total_negative', 'total'],
    [{ total: 3, occupied: -1, onHold: 0 }, 'capacity_occupied_negative', 'occupied'],
    [{ total: 3, occupied: 0, onHold: -1 }, 'capacity_on_hold_negative', 'onHold'],
    [{ total: 3, occupied: 4, onHold: 0 }, 'capacity_over_committed', 'occupied'],
    [{ total: 3, occupied: 2, onHold: 2 }, 'capacity_over_committed', 'total'],
    [{ total: 2.5, occupied: 0, onHold: 0 }, 'capacity_total_negative', 'total'],
  ])('refuses %o with %s naming %s', (counts, code, field) => {
    expect.assertions(3);
    try {
      assertCapacityInvariants(counts);
    } catch (error) {
      expect(error).toBeInstanceOf(InvariantViolated);
      expect((error as InvariantViolated).code).toBe(code);
      expect((error as InvariantViolated).fields?.[0]?.path).toBe(field);
    }
  });

  it('accepts a full placement and an empty one', () => {
    expect(() => assertCapacityInvariants({ total: 5, occupied: 3, onHold: 2 })).not.toThrow();
    expect(() => assertCapacityInvariants({ total: 0, occupied: 0, onHold: 0 })).not.toThrow();
  });

  it('refuses an initial report that is already over-committed', () => {
    expect(() => initialCapacity({ total: 2, occupied: 3 }, 'u', now.toISOString())).toThrow(InvariantViolated);
  });
});

describe('freshness bands', () => {
  it.each([
    [null, 'unknown'],
    [hoursAgo(0), 'fresh'],
    [hoursAgo(1.99), 'fresh'],
    [hoursAgo(2), 'aging'],
    [hoursAgo(8), 'aging'],
    [hoursAgo(8.01), 'stale'],
    [hoursAgo(24 * 9), 'stale'],
  ])('%s → %s', (at, band) => {
    expect(freshnessOf(at, now)).toBe(band);
  });

  it('a confirmation restarts freshness like an update', () => {
    expect(lastReportedAt({ updatedAt: hoursAgo(30), confirmedAt: hoursAgo(1) })).toBe(hoursAgo(1));
    expect(lastReportedAt({ updatedAt: hoursAgo(1), confirmedAt: hoursAgo(30) })).toBe(hoursAgo(1));
    expect(lastReportedAt({ updatedAt: null, confirmedAt: null })).toBeNull();
  });
});

describe('capacity view', () => {
  const stored = {
    total: 6,
    occupied: 2,
    holds: { r1: hoursAgo(-1), r2: hoursAgo(-3), lapsed: hoursAgo(0.5) },
    version: 4,
    updatedAt: hoursAgo(3),
    updatedBy: 'staff-1',
    confirmedAt: null,
    confirmedBy: null,
  };

  it('derives available from holds still in force; a lapsed hold is never shown as held', () => {
    const view = capacityView(stored, now);
    expect(activeHoldCount(stored.holds, now)).toBe(2);
    expect(view).toMatchObject({ total: 6, occupied: 2, onHold: 2, available: 2, version: 4, freshness: 'aging' });
  });

  it('a new placement without a report has unknown freshness and no beds', () => {
    const view = capacityView(initialCapacity(undefined, 'u', now.toISOString()), now);
    expect(view).toMatchObject({ total: 0, available: 0, freshness: 'unknown', updatedAt: null });
  });
});
