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
    // The service version the listing was last written from, for whoever reads the table.
    serviceVersion: s.version,
    matchCard,
    gsi4pk: telehealthListingPartition(state, s.category),
    gsi4sk: order,
  }));
}

/** What a listing carries into the matching index: two listings alike in this are the same to a match. */
export function telehealthListingSignature(item: Record<string, unknown>): string {
  return JSON.stringify([item.gsi4pk, item.gsi4sk, item.matchCard]);
}

/**
 * The writes that bring a service's listings from what `before` had to what `after` should have:
 * a put for each listing that is new or carries another card or order (a change of a field the
 * card does not hold, a description, writes none), a delete for each state no longer served. At
 * most one write per state code (57), so they fit in one transaction with the service's own
 * write and its audit.
 */
export function telehealthListingWrites(before: Service | undefined, after: Service): TransactItem[] {
  const had = new Map((before ? telehealthListingItems(before) : []).map((item) => [item.state, telehealthListingSignature(item)]));
  const wanted = telehealthListingItems(after);
  const kept = new Set(wanted.map((item) => item.state));
  const puts = wanted.filter((item) => had.get(item.state) !== telehealthListingSignature(item));
  const dropped = [...had.keys()].filter((state) => !kept.has(state));
  return [
    ...puts.map((Item): TransactItem => ({ Put: { TableName: tableName(), Item } })),
    ...dropped.map((state): TransactItem => ({ Delete: { TableName: tableName(), Key: telehealthListingKey(after.id, String(state)) } })),
  ];
}
