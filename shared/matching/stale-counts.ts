import type { Actor } from '../auth/actor';
import type { CapacityView } from '../domain/capacity';
import { capacityView, lastReportedAt } from '../domain/capacity';
import { openRequests } from '../data/confirmation-requests';
import type { Page } from '../data/cursor';
import { badCursor, decodeCursor, encodeCursor } from '../data/cursor';
import { filteredPage } from '../data/directory-index';
import { placementFromItem } from '../data/placements';
import { inactiveProviderIds } from '../data/providers';
import { reportTimePartition, reportTimeRange } from '../data/report-time-index';
import { HarborTable } from '../data/table';
import { withProviderStatus } from '../domain/placement-status';
import { Forbidden, ValidationFailed } from '../errors';
import type { Freshness, PlacementType } from '../schemas/vocabulary';

/**
 * `GET /capacity/stale`: the active placements (of active providers) of a coordinator's states
 * whose counts are stale (or aging/unknown, as asked), so they can be chased by phone, oldest
 * count first within each state. Reads the report-time index (gsi5) one state at a time, in the
 * order asked, only the key range of the counts old enough; the cursor remembers the state and
 * the position inside it.
 */
export interface StaleCountItem {
  placementId: string;
  providerId: string;
  name: string;
  type: PlacementType;
  location: { city: string; county?: string; state: string };
  capacity: CapacityView;
  /** A confirmation request is open for it (the provider has been asked). */
  confirmationRequested: boolean;
}

export interface StaleCountsQuery {
  state?: string[];
  freshness: Exclude<Freshness, 'fresh'>[];
  limit: number;
  cursor?: string;
}

/** The states to read: a coordinator's jurisdiction (or part of it); an admin must name them. */
function statesFor(actor: Actor, asked: string[] | undefined): string[] {
  if (actor.role === 'coordinator') {
    const outside = (asked ?? []).filter((s) => !actor.jurisdiction.includes(s));
    if (outside.length) throw new Forbidden(`You oversee ${actor.jurisdiction.join(', ')}; not ${outside.join(', ')}.`);
    return [...new Set(asked?.length ? asked : actor.jurisdiction)].sort();
  }
  if (!asked?.length) throw new ValidationFailed('Name the state(s) to list.', [{ path: 'state', message: 'required for admins' }]);
  return [...new Set(asked)].sort();
}

/**
 * The most placement items one request reads. The key range holds the counts old enough and
 * little else, but it also holds the placements of inactive providers (the list leaves them out;
 * inactive placements are not in the index), and a band between two asked for (aging and
 * unknown, without stale). Where
 * those are many, the request returns what it found with a cursor where it stopped, possibly an
 * empty page, rather than read on without bound.
 */
export const STALE_LIST_READ_BUDGET = 1_000;

export async function listStaleCounts(actor: Actor, query: StaleCountsQuery, now: Date, readBudget = STALE_LIST_READ_BUDGET): Promise<Page<StaleCountItem>> {
  const states = statesFor(actor, query.state);
  let stateIndex = 0;
  let inner: string | undefined;
  if (query.cursor) {
    const position = decodeCursor(query.cursor);
    stateIndex = states.indexOf(String(position.s));
    if (stateIndex < 0 || (position.c !== undefined && typeof position.c !== 'string')) throw badCursor();
    inner = position.c as string | undefined;
  }
  const wanted = new Set<Freshness>(query.freshness);
  const range = reportTimeRange(query.freshness, now);
  // A program whose provider is inactive takes no youth: its count is not worth a call.
  const inactiveProviders = await inactiveProviderIds();
  const items: StaleCountItem[] = [];
  let read = 0;
  while (stateIndex < states.length && items.length < query.limit && read < readBudget) {
    const page = await filteredPage({
      index: HarborTable.indexes.byReportTime,
      partition: reportTimePartition(states[stateIndex]!),
      sortKey: { between: [range.from, range.to] },
      limit: query.limit - items.length,
      maxRead: readBudget - read,
      ...(inner ? { cursor: inner } : {}),
      keep: (item) => {
        const p = withProviderStatus(placementFromItem(item), inactiveProviders);
        return p.active !== false && wanted.has(capacityView(p.capacity, now).freshness);
      },
    });
    read += page.read;
    for (const item of page.items) {
      const p = placementFromItem(item);
      items.push({
        placementId: p.id,
        providerId: p.providerId,
        name: p.name,
        type: p.type,
        location: { city: p.location.city, ...(p.location.county ? { county: p.location.county } : {}), state: p.location.state },
        capacity: capacityView(p.capacity, now),
        confirmationRequested: false,
      });
    }
    if (page.nextCursor) {
      inner = page.nextCursor;
    } else {
      stateIndex++;
      inner = undefined;
    }
  }
  const next = stateIndex < states.length ? encodeCursor({ s: states[stateIndex], ...(inner ? { c: inner } : {}) }) : null;
  const open = await openRequests(items.map((i) => i.placementId));
  for (const item of items) {
    // Open only if it is about the count as it stands (not one already answered).
    item.confirmationRequested = open.has(item.placementId) && open.get(item.placementId) === lastReportedAt(item.capacity);
  }
  return { items, nextCursor: next };
}
