import { InvariantViolated } from '../errors';
import type { StoredCapacity } from '../schemas/directory';
import type { Freshness } from '../schemas/vocabulary';

/** The capacity a client sees: `onHold` counts holds still in force, `available` is derived. */
export interface CapacityView {
  total: number;
  occupied: number;
  onHold: number;
  available: number;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  confirmedAt: string | null;
  freshness: Freshness;
}

const HOUR_MS = 3_600_000;
/** DESIGN.md §3: fresh under 2 h, aging 2–8 h, stale over 8 h, unknown if never reported. */
export const FRESH_FOR_MS = 2 * HOUR_MS;
export const STALE_AFTER_MS = 8 * HOUR_MS;

/** How fresh a count is, from the last time its provider updated or confirmed it. */
export function freshnessOf(lastReportedAt: string | null, now: Date): Freshness {
  if (!lastReportedAt) return 'unknown';
  const age = now.getTime() - Date.parse(lastReportedAt);
  if (age < FRESH_FOR_MS) return 'fresh';
  if (age <= STALE_AFTER_MS) return 'aging';
  return 'stale';
}

/** The later of the last update and the last confirmation: either restarts freshness. */
export function lastReportedAt(capacity: Pick<StoredCapacity, 'updatedAt' | 'confirmedAt'>): string | null {
  const { updatedAt, confirmedAt } = capacity;
  if (!updatedAt) return confirmedAt;
  if (!confirmedAt) return updatedAt;
  return updatedAt > confirmedAt ? updatedAt : confirmedAt;
}

/**
 * Holds still in force at `now`. A hold past its `holdExpiresAt` is not counted even before the
 * expiry job removes it, so no read ever shows a lapsed hold as held.
 */
export function activeHoldCount(holds: Record<string, string>, now: Date): number {
  const t = now.toISOString();
  return Object.values(holds).filter((expiresAt) => expiresAt > t).length;
}

export interface CapacityCounts {
  total: number;
  occupied: number;
  onHold: number;
}

/**
 * The bed-registry invariants (DESIGN.md §3). Throws a 422 naming the first broken one; the codes
 * are stable so clients can tell them apart.
 */
export function assertCapacityInvariants({ total, occupied, onHold }: CapacityCounts): void {
  if (!Number.isInteger(total) || total < 0) {
    throw new InvariantViolated('capacity_total_negative', 'Invariant total ≥ 0 is broken.', [{ path: 'total', message: 'must be ≥ 0' }]);
  }
  if (!Number.isInteger(occupied) || occupied < 0) {
    throw new InvariantViolated('capacity_occupied_negative', 'Invariant occupied ≥ 0 is broken.', [{ path: 'occupied', message: 'must be ≥ 0' }]);
  }
  if (!Number.isInteger(onHold) || onHold < 0) {
    throw new InvariantViolated('capacity_on_hold_negative', 'Invariant onHold ≥ 0 is broken.', [{ path: 'onHold', message: 'must be ≥ 0' }]);
  }
  if (occupied + onHold > total) {
    throw new InvariantViolated(
      'capacity_over_committed',
      `Invariant occupied + onHold ≤ total is broken: ${occupied} occupied + ${onHold} on hold > ${total} total.`,
      [{ path: onHold > 0 ? 'total' : 'occupied', message: `occupied (${occupied}) + onHold (${onHold}) must not exceed total (${total})` }],
    );
  }
}

/** The view of a stored capacity at `now`. */
export function capacityView(capacity: StoredCapacity, now: Date): CapacityView {
  const onHold = activeHoldCount(capacity.holds, now);
  return {
    total: capacity.total,
    occupied: capacity.occupied,
    onHold,
    // Clamp: a lapsed hold is not counted, and a count can only be over-committed by a bug; a
    // negative number of beds would mislead a coordinator either way.
    available: Math.max(0, capacity.total - capacity.occupied - onHold),
    version: capacity.version,
    updatedAt: capacity.updatedAt,
    updatedBy: capacity.updatedBy,
    confirmedAt: capacity.confirmedAt,
    freshness: freshnessOf(lastReportedAt(capacity), now),
  };
}

/** A new placement's capacity: what the provider reported, or nothing yet (freshness `unknown`). */
export function initialCapacity(report: { total: number; occupied: number } | undefined, by: string, at: string): StoredCapacity {
  if (report) assertCapacityInvariants({ ...report, onHold: 0 });
  return {
    total: report?.total ?? 0,
    occupied: report?.occupied ?? 0,
    holds: {},
    version: 1,
    updatedAt: report ? at : null,
    updatedBy: report ? by : null,
    confirmedAt: null,
    confirmedBy: null,
  };
}
