import { FRESH_FOR_MS, lastReportedAt, STALE_AFTER_MS } from '../domain/capacity';
import type { StoredCapacity } from '../schemas/directory';
import type { Freshness } from '../schemas/vocabulary';

/**
 * The report-time index (gsi5): a state's active placements ordered by when their count was last
 * reported or confirmed, never-reported counts first. Freshness changes with the clock, not with
 * writes, so no index can hold only the stale counts; but in this order the counts old enough for
 * a freshness band are one key range, and `GET /capacity/stale` reads that range instead of the
 * whole state.
 *
 * Every write that changes `capacity.updatedAt` or `capacity.confirmedAt` sets the sort key to its
 * own time in the same update. The last of those writes is the latest report or one a few
 * milliseconds before it (a confirmation does not bump the capacity version, so a count update
 * that read the version before a confirmation still lands after it), so the key is never later
 * than the true report: ranges with only upper bounds on time hold every count in the band, and
 * the list still checks each count's freshness exactly.
 */

/** What a never-reported count sorts under: before every ISO time. */
const NEVER_REPORTED = '0';
/** Above every never-reported key and below every reported one (ISO years start with 1–9). */
const FIRST_REPORTED = '1';

export const reportTimePartition = (state: string): string => `PLACEMENT#STATE#${state}`;

/** `<last report, ISO>#<id>`, or `0#<id>` never reported. The time is normalised so keys sort in time order. */
export function reportTimeSortKey(reportedAt: string | null, placementId: string): string {
  return `${reportedAt ? new Date(reportedAt).toISOString() : NEVER_REPORTED}#${placementId}`;
}

/**
 * The keys of a whole placement item (create, import, backfill). An inactive placement has no
 * partition key, so it is not in the index: it stops reporting when it closes, and would otherwise
 * sit among the oldest counts forever, read and left out by every list.
 */
export function reportTimeIndexKeys(p: { id: string; active: boolean; location: { state: string }; capacity: Pick<StoredCapacity, 'updatedAt' | 'confirmedAt'> }): {
  gsi5pk?: string;
  gsi5sk: string;
} {
  return { ...(p.active ? { gsi5pk: reportTimePartition(p.location.state) } : {}), gsi5sk: reportTimeSortKey(lastReportedAt(p.capacity), p.id) };
}

/**
 * The sort-key range (inclusive; no key equals either end, since keys carry `#<id>` and the ends
 * do not) that holds every count in one of the `wanted` bands at `now`: from the never-reported
 * (if wanted) up to the youngest count the youngest band wanted takes. A band between two wanted
 * ones is read too and left out by the exact check.
 */
export function reportTimeRange(wanted: readonly Exclude<Freshness, 'fresh'>[], now: Date): { from: string; to: string } {
  const at = (ms: number) => new Date(ms).toISOString();
  const from = wanted.includes('unknown') ? NEVER_REPORTED : FIRST_REPORTED;
  // aging: reported at or before now − 2 h (a key whose time is under now − 2 h + 1 ms);
  // stale: before now − 8 h; unknown alone: no reported count at all.
  const to = wanted.includes('aging') ? at(now.getTime() - FRESH_FOR_MS + 1) : wanted.includes('stale') ? at(now.getTime() - STALE_AFTER_MS) : FIRST_REPORTED;
  return { from, to };
}
