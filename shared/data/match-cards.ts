import type { Placement, Service } from '../schemas/directory';
import { cellKeys, cellPartitionKey } from './directory-index';

/**
 * Match cards: the fields matching reads, kept on each placement and service item as one compact
 * JSON attribute (`matchCard`) and projected, with the live `capacity` map, into the matching
 * index (gsi4). A match over a 300-mile circle reads thousands of placements; reading them whole
 * (descriptions, contacts, the keys of three other indexes) spent most of its time on fields the
 * ranking never looks at.
 *
 * A card is written by the same write that changes the profile (create, profile update, import),
 * so it is never older than the item it sits on. Capacity is not in the card: holds and counts
 * change under their own conditions on the item's `capacity` map, which the index projects as it
 * is.
 *
 * Index keys: placements by geohash cell (as gsi1), services by cell and category, so a match
 * reads only the categories the youth's needs can use. The sort key is `<geohash9>#<id>` in both,
 * so a search can read sort-key ranges of smaller cells.
 */

/** Bumped when a card's fields change; a card of another version is refused, not misread. */
export const MATCH_CARD_VERSION = 1;

export const PLACEMENT_CARD_FIELDS = [
  'id',
  'providerId',
  'name',
  'type',
  'location',
  'population',
  'specializations',
  'traumaModels',
  'mentalHealthLevel',
  'security',
  'runPrevention',
  'languages',
  'exclusions',
  'acceptsOutOfState',
  'license',
  'intake',
  'active',
] as const satisfies readonly (keyof Placement)[];

export const SERVICE_CARD_FIELDS = [
  'id',
  'providerId',
  'name',
  'category',
  'location',
  'serviceArea',
  'modality',
  'population',
  'languages',
  'waitDays',
  'openSlots',
  'active',
] as const satisfies readonly (keyof Service)[];

/** A placement as matching sees it: the card's fields and the live capacity. */
export type PlacementCard = Pick<Placement, (typeof PLACEMENT_CARD_FIELDS)[number] | 'capacity'>;
export type ServiceCard = Pick<Service, (typeof SERVICE_CARD_FIELDS)[number]>;

/**
 * JSON with every object's keys in sorted order, so one profile always gives one card: DynamoDB
 * does not keep a map's key order, and the backfill compares the card an item has with the one
 * it should have.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function cardOf(entity: object, fields: readonly string[]): string {
  const source = entity as Record<string, unknown>;
  const card: Record<string, unknown> = { v: MATCH_CARD_VERSION };
  for (const field of fields) if (source[field] !== undefined) card[field] = source[field];
  return canonicalJson(card);
}

function fieldsOfCard(card: unknown): Record<string, unknown> {
  if (typeof card !== 'string') throw new Error('Match index item without a matchCard: run scripts/backfill-match-cards.ts');
  const { v, ...fields } = JSON.parse(card) as Record<string, unknown>;
  if (v !== MATCH_CARD_VERSION) throw new Error(`Match card version ${String(v)} is not ${MATCH_CARD_VERSION}: run scripts/backfill-match-cards.ts`);
  return fields;
}

/** The partition of `category` services in one cell of the matching index. */
export function serviceCategoryCellKey(cell: string, category: string): string {
  return `${cellPartitionKey('SERVICE', cell)}#${category}`;
}

/** The attributes a placement item carries for the matching index. */
export function placementMatchAttributes(p: Placement): { matchCard: string; gsi4pk: string; gsi4sk: string } {
  const keys = cellKeys('PLACEMENT', p.id, p.location);
  return { matchCard: cardOf(p, PLACEMENT_CARD_FIELDS), gsi4pk: keys.partition, gsi4sk: keys.sortKey };
}

/** The attributes a service item carries for the matching index. */
export function serviceMatchAttributes(s: Service): { matchCard: string; gsi4pk: string; gsi4sk: string } {
  const keys = cellKeys('SERVICE', s.id, s.location);
  return { matchCard: cardOf(s, SERVICE_CARD_FIELDS), gsi4pk: serviceCategoryCellKey(keys.cell, s.category), gsi4sk: keys.sortKey };
}

/** The attribute names these add to an item, which the API never returns. */
export const MATCH_INDEX_ATTRIBUTES = ['matchCard', 'gsi4pk', 'gsi4sk'] as const;

export function placementFromMatchItem(item: Record<string, unknown>): PlacementCard {
  return { ...fieldsOfCard(item.matchCard), capacity: item.capacity } as PlacementCard;
}

export function serviceFromMatchItem(item: Record<string, unknown>): ServiceCard {
  return fieldsOfCard(item.matchCard) as ServiceCard;
}
