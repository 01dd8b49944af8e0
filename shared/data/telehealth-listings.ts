import { telehealthStates } from '../domain/matching/wraparound';
import { telehealthListingOrder } from '../domain/matching/wraparound-reads';
import type { Service } from '../schemas/directory';
import { tableName } from './client';
import { serviceMatchAttributes } from './match-cards';
import type { TransactItem } from './transact';

/**
 * Telehealth listings: a service that sees youth by video serves every placement in the states
 * it serves, wherever it is listed, so a match cannot find it by reading cells around the
 * contenders. Each active service offering telehealth has one listing item per state it serves
 * (`SERVICE#<id>` / `TELEHEALTH#<state>`), carrying its match card into the matching index
 * (gsi4) under `SERVICE#TELEHEALTH#<state>#<category>`, sorted by `telehealthListingOrder`, so a
 * match reads only the head of the listings of its contenders' states (see
 * `settlesTelehealthListing`).
 *
 * Listings are written by the same transaction that writes the service (create, profile update)
 * and beside it by the bulk loaders (`serviceItems`); scripts/backfill-match-cards.ts brings a
 * table written before them up to date.
 */

export const TELEHEALTH_LISTING_ENTITY = 'telehealth_listing';

export function telehealthListingKey(serviceId: string, state: string): { pk: string; sk: string } {
  return { pk: `SERVICE#${serviceId}`, sk: `TELEHEALTH#${state}` };
}

/** The matching-index partition of one category's telehealth services serving one state. */
export function telehealthListingPartition(state: string, category: string): string {
  return `SERVICE#TELEHEALTH#${state}#${category}`;
}

/** The listings a service should have: none while it is inactive or sees youth only in person. */
export function telehealthListingItems(s: Service): Record<string, unknown>[] {
  if (s.active === false) return [];
  const states = telehealthStates(s);
  if (states.length === 0) return [];
  const { matchCard } = serviceMatchAttributes(s);
  const order = telehealthListingOrder(s);
  return states.map((state) => ({
    ...telehealthListingKey(s.id, state),
    entity: TELEHEALTH_LISTING_ENTITY,
    serviceId: s.id,
    state,
    // The service version the listing was written from: the backfill never overwrites a newer one.
    serviceVersion: s.version,
    matchCard,
    gsi4pk: telehealthListingPartition(state, s.category),
    gsi4sk: order,
  }));
}

/**
 * The writes that bring a service's listings from what `before` had to what `after` should have:
 * every listing of `after` put (its card may have changed), those of states no longer served
 * deleted. At most one write per state code (57), so they fit in one transaction with the
 * service's own write and its audit.
 */
export function telehealthListingWrites(before: Service | undefined, after: Service): TransactItem[] {
  const puts = telehealthListingItems(after);
  const kept = new Set(puts.map((item) => item.state));
  const dropped = before ? telehealthStates(before).filter((state) => !kept.has(state)) : [];
  return [
    ...puts.map((Item): TransactItem => ({ Put: { TableName: tableName(), Item } })),
    ...dropped.map((state): TransactItem => ({ Delete: { TableName: tableName(), Key: telehealthListingKey(after.id, state) } })),
  ];
}
