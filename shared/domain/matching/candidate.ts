import { FRESH_FOR_MS, freshnessOf, lastReportedAt, STALE_AFTER_MS } from '../capacity';
import type { Point } from '../geo';
import { distanceMiles } from '../geo';
import type { Placement } from '../../schemas/directory';
import type { Freshness } from '../../schemas/vocabulary';
import type { PackedPlacements } from './packed-placements';
import { isoMs, PACKED } from './packed-placements';

/**
 * A placement as the matcher sees it at one instant: its capacity view and its distance from the
 * youth, computed once so every rule, score and sentence reads the same numbers.
 */
export interface Candidate {
  placement: Placement;
  /** From the youth's location (the search centre). */
  distanceMiles: number;
  available: number;
  onHold: number;
  /** The earliest time an active hold lapses (ISO), when any bed is on hold. */
  nextHoldLapse: string | null;
  freshness: Freshness;
  /** When the provider last updated or confirmed the count (ISO), or null if never. */
  reportedAt: string | null;
}

/**
 * Per-match constants. Freshness and hold expiry compare ISO strings against pre-computed
 * thresholds instead of parsing a date per placement: at 100k candidates `Date.parse` alone would
 * spend a good part of the ranking budget.
 */
export interface CandidateClock {
  now: Date;
  nowIso: string;
  /** Reports after this are fresh (younger than 2 h). */
  freshAfterIso: string;
  /** Reports at or after this are at most aging (no older than 8 h). */
  staleBeforeIso: string;
  /** The three times above in ms, for packed placements (NaN should one not be canonical: see `isoMs`). */
  nowMs: number;
  freshAfterMs: number;
  staleBeforeMs: number;
}

export function candidateClock(now: Date): CandidateClock {
  const t = now.getTime();
  const nowIso = now.toISOString();
  const freshAfterIso = new Date(t - FRESH_FOR_MS).toISOString();
  const staleBeforeIso = new Date(t - STALE_AFTER_MS).toISOString();
  return { now, nowIso, freshAfterIso, staleBeforeIso, nowMs: isoMs(nowIso), freshAfterMs: isoMs(freshAfterIso), staleBeforeMs: isoMs(staleBeforeIso) };
}

/**
 * `fastFreshness` of a packed placement's `reportedAt` (ms): the same answer, because canonical
 * times compare as their ms do. `undefined` when the numbers cannot say (a time that is not
 * canonical, here or in the clock): the caller then reads the placement.
 */
export function packedFreshness(reportedMs: number, clock: CandidateClock): Freshness | undefined {
  if (reportedMs === -Infinity) return 'unknown';
  if (reportedMs !== reportedMs || clock.freshAfterMs !== clock.freshAfterMs || clock.staleBeforeMs !== clock.staleBeforeMs) return undefined;
  if (reportedMs > clock.freshAfterMs) return 'fresh';
  if (reportedMs >= clock.staleBeforeMs) return 'aging';
  return 'stale';
}

/**
 * Canonical `Date.toISOString()` output (`2026-11-21T12:00:00.000Z`), which compares correctly as
 * a string. Checked by shape, not by a regular expression, because this runs per candidate.
 */
function isCanonicalIso(s: string): boolean {
  return s.length === 24 && s.charCodeAt(23) === 90 /* Z */ && s.charCodeAt(10) === 84 /* T */ && s.charCodeAt(19) === 46 /* . */ && s.charCodeAt(4) === 45;
}

/** Same answer as `freshnessOf` (shared/domain/capacity.ts), without parsing canonical timestamps. */
export function fastFreshness(reportedAt: string | null, clock: CandidateClock): Freshness {
  if (!reportedAt) return 'unknown';
  if (!isCanonicalIso(reportedAt)) return freshnessOf(reportedAt, clock.now);
  if (reportedAt > clock.freshAfterIso) return 'fresh';
  if (reportedAt >= clock.staleBeforeIso) return 'aging';
  return 'stale';
}

/** Open beds now: holds past their expiry no longer hold a bed. No allocation (the hot path). */
export function availableBeds(capacity: Placement['capacity'], clock: CandidateClock): number {
  const free = capacity.total - capacity.occupied;
  // With every bed occupied no hold can open one, and the holds object is not read at all: it is
  // a separate object per placement, so reading it is a cache miss, and the keys it holds differ
  // from one placement to the next (referral ids), so the read is megamorphic as well.
  if (!(free > 0)) return Math.max(0, free);
  let onHold = 0;
  const holds = capacity.holds;
  if (holds) for (const id in holds) if (holds[id]! > clock.nowIso) onHold++;
  return Math.max(0, free - onHold);
}

/**
 * `availableBeds` of the `i`-th packed placement: with a bed free and holds, every hold is in
 * force when the first lapses after now, so they all count; otherwise they are counted on the
 * placement's object.
 */
export function availableBedsAt(packed: PackedPlacements, i: number, clock: CandidateClock): number {
  const free = packed.free[i]!;
  if (!(free > 0)) return Math.max(0, free);
  if (!(packed.flags[i]! & PACKED.HAS_HOLDS)) return free;
  return packed.firstHoldLapse[i]! > clock.nowMs ? Math.max(0, free - packed.holds[i]!) : availableBeds(packed.placements[i]!.capacity, clock);
}

const EARTH_RADIUS_MILES = 3958.8;

/**
 * `distanceMiles(origin, to)` (shared/domain/geo.ts) with the origin's cosine worked out once:
 * the same operations in the same order, so the same bits, and one cosine fewer per candidate.
 * A property test checks it equals `distanceMiles` exactly.
 */
export function distanceFrom(origin: Point): (to: Point) => number {
  const from = distanceFromToLatLon(origin);
  return (to) => from(to.lat, to.lon);
}

/** `distanceFrom` for a point given as two numbers (the packed columns). */
export function distanceFromToLatLon(origin: Point): (lat: number, lon: number) => number {
  const originLat = origin.lat;
  const originLon = origin.lon;
  const cosLat = Math.cos((originLat * Math.PI) / 180);
  return (lat, lon) => {
    const dLat = ((lat - originLat) * Math.PI) / 180;
    const dLon = ((lon - originLon) * Math.PI) / 180;
    const h = Math.sin(dLat / 2) ** 2 + cosLat * Math.cos((lat * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
  };
}

export function candidateOf(placement: Placement, youthPoint: Point, clock: CandidateClock): Candidate {
  const capacity = placement.capacity;
  let onHold = 0;
  let nextHoldLapse: string | null = null;
  // A hold past its expiry no longer holds a bed, even before the expiry job removes it.
  for (const expiresAt of Object.values(capacity.holds ?? {})) {
    if (expiresAt > clock.nowIso) {
      onHold++;
      if (nextHoldLapse === null || expiresAt < nextHoldLapse) nextHoldLapse = expiresAt;
    }
  }
  const reportedAt = lastReportedAt(capacity);
  return {
    placement,
    distanceMiles: distanceMiles(youthPoint, placement.location),
    // Clamped as in capacityView: a count over-committed by a bug must never show negative beds.
    available: Math.max(0, capacity.total - capacity.occupied - onHold),
    onHold,
    nextHoldLapse,
    freshness: fastFreshness(reportedAt, clock),
    reportedAt,
  };
}
