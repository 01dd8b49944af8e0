import type { Placement, Service, StoredCapacity } from '../schemas/directory';
import { cellKeys, cellPartitionKey } from './directory-index';

/**
 * Match cards: the fields matching reads, kept on each placement and service item as one compact
 * string attribute (`matchCard`) and projected, with the live capacity (the holds and the counts'
 * compact copies, `matchCapacityAttributes`), into the matching index (gsi4). A match over a
 * 300-mile circle reads thousands of placements; reading them whole (descriptions, contacts, the
 * keys of three other indexes) spent most of its time on fields the ranking never looks at.
 *
 * A card is written by the same write that changes the profile (create, profile update, import),
 * so it is never older than the item it sits on. Capacity is not in the card: holds and counts
 * change under their own conditions, and the index projects what a match needs of them as the
 * capacity writes leave it (`matchCapacityAttributes` below).
 *
 * The card is positional — a JSON array of the values in the order of its shape below, nested
 * objects as arrays of their own — because a match's read time is proportional to the bytes it
 * reads (DynamoDB Local, measured: ~0.11 µs per byte of an index item, whatever its attributes),
 * and field names were more than half of a keyed card. Positions also make the card canonical:
 * one profile gives one card whatever the order of its map keys, which the backfill relies on
 * when it compares the card an item has with the one it should have.
 *
 * Index keys: placements by geohash cell (as gsi1), services by cell and category, so a match
 * reads only the categories the youth's needs can use. The sort key is `<geohash9>#<id>` in both,
 * so a search can read sort-key ranges of smaller cells.
 */

/**
 * Bumped whenever a shape changes (a field added, removed or moved): the backfill rewrites cards
 * of other versions, and until it has, a card of an unknown version is refused, not misread.
 */
export const MATCH_CARD_VERSION = 2;

/** A card's layout: top-level fields in order; a nested object as `[field, its fields in order]`. */
type CardShape = readonly (string | readonly [string, readonly string[]])[];

const LOCATION_SHAPE = ['address', 'city', 'county', 'state', 'zip', 'lat', 'lon', 'confidential'] as const satisfies readonly (keyof Placement['location'])[];

const POPULATION_SHAPE = ['minAge', 'maxAge', 'genders', 'acceptsPregnant', 'acceptsParenting'] as const satisfies readonly (keyof Placement['population'])[];
const LICENSE_SHAPE = ['number', 'expires'] as const satisfies readonly (keyof Placement['license'])[];
const INTAKE_SHAPE = ['twentyFourSeven', 'emergency', 'responseHours'] as const satisfies readonly (keyof Placement['intake'])[];
const SERVICE_AREA_SHAPE = ['radiusMiles', 'states', 'counties'] as const satisfies readonly (keyof Service['serviceArea'])[];
const SERVICE_POPULATION_SHAPE = ['minAge', 'maxAge', 'genders'] as const satisfies readonly (keyof Service['population'])[];

const PLACEMENT_CARD_SHAPE = [
  'id',
  'providerId',
  'name',
  'type',
  ['location', LOCATION_SHAPE],
  ['population', POPULATION_SHAPE],
  'specializations',
  'traumaModels',
  'mentalHealthLevel',
  'security',
  'runPrevention',
  'languages',
  'exclusions',
  'acceptsOutOfState',
  ['license', LICENSE_SHAPE],
  ['intake', INTAKE_SHAPE],
  'active',
] as const satisfies CardShape;

const SERVICE_CARD_SHAPE = [
  'id',
  'providerId',
  'name',
  'category',
  ['location', LOCATION_SHAPE],
  ['serviceArea', SERVICE_AREA_SHAPE],
  'modality',
  ['population', SERVICE_POPULATION_SHAPE],
  'languages',
  'waitDays',
  'openSlots',
  'active',
] as const satisfies CardShape;

type TopLevel<S extends CardShape> = { [I in keyof S]: S[I] extends readonly [infer F, unknown] ? F : S[I] }[number];

export const PLACEMENT_CARD_FIELDS = PLACEMENT_CARD_SHAPE.map(fieldName) as TopLevel<typeof PLACEMENT_CARD_SHAPE>[] satisfies readonly (keyof Placement)[];
export const SERVICE_CARD_FIELDS = SERVICE_CARD_SHAPE.map(fieldName) as TopLevel<typeof SERVICE_CARD_SHAPE>[] satisfies readonly (keyof Service)[];

/** A placement as matching sees it: the card's fields and the live capacity. */
export type PlacementCard = Pick<Placement, (typeof PLACEMENT_CARD_FIELDS)[number]> & { capacity: MatchCapacity };
export type ServiceCard = Pick<Service, (typeof SERVICE_CARD_FIELDS)[number]>;

function fieldName(entry: CardShape[number]): string {
  return typeof entry === 'string' ? entry : entry[0];
}

/** The values of `source` in `shape`'s order; an absent value is `null`. */
function valuesOf(source: Record<string, unknown>, shape: CardShape): unknown[] {
  return shape.map((entry) => {
    if (typeof entry === 'string') return source[entry] ?? null;
    const nested = source[entry[0]] as Record<string, unknown> | undefined;
    return nested ? entry[1].map((field) => nested[field] ?? null) : null;
  });
}

/*
 * Version-2 cards are decoded by one object literal per object (`placementFieldsOf`,
 * `serviceFieldsOf`), absent optional fields left out, rather than by growing an object from
 * `{}` field by field: such an object keeps all but its first four fields in a second array, one
 * more pointer to follow for every field read after them. Packing for the ranking
 * (packed-placements.ts) reads a dozen fields of every candidate; when the ranking read them from
 * the objects, over 100k placements decoded field by field it took 2.6 times as long as over the
 * same placements decoded by literals (scratch, a process each, three youth, plan and finish:
 * 420–476 against 148–184 ms; at 20k 38–57 against 28–35 ms; at 5k no difference), and decoding
 * itself takes 5.3–5.9 µs a card against 6.9–7.6.
 * The optional fields (a location's address and county, an intake's response time; a service's
 * radius, wait and open slots) are added after the literal when present, so the fields read on
 * every candidate keep their place. A card with no value where the profile schema requires one
 * (written by hand, or by a bug) is refused as unreadable, and a match reads that item from the
 * table instead (match-candidates.ts).
 */

/** Each field's position in a card's values (after `offset`, the version's slot). */
function positionsOf<const F extends string>(fields: readonly F[], offset = 0): Readonly<Record<F, number>> {
  return Object.fromEntries(fields.map((field, i) => [field, i + offset])) as Record<F, number>;
}

/** The positions in `values` of all but the `optional` fields of `fields`. */
function requiredPositions<F extends string>(fields: readonly F[], optional: readonly F[], offset = 0): number[] {
  return fields.flatMap((field, i) => (optional.includes(field) ? [] : [i + offset]));
}

const isAbsent = (v: unknown) => v === null || v === undefined;
const allPresent = (values: readonly unknown[], positions: readonly number[]) => positions.every((i) => !isAbsent(values[i]));

const AT = positionsOf(PLACEMENT_CARD_FIELDS, 1);
const SERVICE_AT = positionsOf(SERVICE_CARD_FIELDS, 1);
const LOCATION_AT = positionsOf(LOCATION_SHAPE);
const POPULATION_AT = positionsOf(POPULATION_SHAPE);
const LICENSE_AT = positionsOf(LICENSE_SHAPE);
const INTAKE_AT = positionsOf(INTAKE_SHAPE);
const SERVICE_AREA_AT = positionsOf(SERVICE_AREA_SHAPE);
const SERVICE_POPULATION_AT = positionsOf(SERVICE_POPULATION_SHAPE);
const REQUIRED = {
  placement: requiredPositions(PLACEMENT_CARD_FIELDS, [], 1),
  service: requiredPositions(SERVICE_CARD_FIELDS, ['waitDays', 'openSlots'], 1),
  location: requiredPositions(LOCATION_SHAPE, ['address', 'county']),
  population: requiredPositions(POPULATION_SHAPE, []),
  license: requiredPositions(LICENSE_SHAPE, []),
  intake: requiredPositions(INTAKE_SHAPE, ['responseHours']),
  serviceArea: requiredPositions(SERVICE_AREA_SHAPE, ['radiusMiles']),
  servicePopulation: requiredPositions(SERVICE_POPULATION_SHAPE, []),
};

function addIfPresent(to: Record<string, unknown>, field: string, value: unknown): void {
  if (!isAbsent(value)) to[field] = value;
}

function locationOf(l: readonly unknown[]): Record<string, unknown> {
  const location: Record<string, unknown> = { city: l[LOCATION_AT.city], state: l[LOCATION_AT.state], zip: l[LOCATION_AT.zip], lat: l[LOCATION_AT.lat], lon: l[LOCATION_AT.lon], confidential: l[LOCATION_AT.confidential] };
  addIfPresent(location, 'county', l[LOCATION_AT.county]);
  addIfPresent(location, 'address', l[LOCATION_AT.address]);
  return location;
}

/** A version-2 placement card's fields (its values, the version first) with `capacity`; undefined when a value the schema requires is missing. */
function placementFieldsOf(v: readonly unknown[], capacity: MatchCapacity): Record<string, unknown> | undefined {
  if (!allPresent(v, REQUIRED.placement)) return undefined;
  const [l, pop, license, intake] = [v[AT.location], v[AT.population], v[AT.license], v[AT.intake]] as unknown[][];
  if (!allPresent(l!, REQUIRED.location) || !allPresent(pop!, REQUIRED.population) || !allPresent(license!, REQUIRED.license) || !allPresent(intake!, REQUIRED.intake)) return undefined;
  const intakeFields: Record<string, unknown> = { twentyFourSeven: intake![INTAKE_AT.twentyFourSeven], emergency: intake![INTAKE_AT.emergency] };
  addIfPresent(intakeFields, 'responseHours', intake![INTAKE_AT.responseHours]);
  return {
    id: v[AT.id],
    providerId: v[AT.providerId],
    name: v[AT.name],
    type: v[AT.type],
    location: locationOf(l!),
    population: {
      minAge: pop![POPULATION_AT.minAge],
      maxAge: pop![POPULATION_AT.maxAge],
      genders: pop![POPULATION_AT.genders],
      acceptsPregnant: pop![POPULATION_AT.acceptsPregnant],
      acceptsParenting: pop![POPULATION_AT.acceptsParenting],
    },
    specializations: v[AT.specializations],
    traumaModels: v[AT.traumaModels],
    mentalHealthLevel: v[AT.mentalHealthLevel],
    security: v[AT.security],
    runPrevention: v[AT.runPrevention],
    languages: v[AT.languages],
    exclusions: v[AT.exclusions],
    acceptsOutOfState: v[AT.acceptsOutOfState],
    license: { number: license![LICENSE_AT.number], expires: license![LICENSE_AT.expires] },
    intake: intakeFields,
    active: v[AT.active],
    capacity,
  };
}

/** A version-2 service card's fields (its values, the version first); undefined when a value the schema requires is missing. */
function serviceFieldsOf(v: readonly unknown[]): Record<string, unknown> | undefined {
  if (!allPresent(v, REQUIRED.service)) return undefined;
  const [l, area, pop] = [v[SERVICE_AT.location], v[SERVICE_AT.serviceArea], v[SERVICE_AT.population]] as unknown[][];
  if (!allPresent(l!, REQUIRED.location) || !allPresent(area!, REQUIRED.serviceArea) || !allPresent(pop!, REQUIRED.servicePopulation)) return undefined;
  const serviceArea: Record<string, unknown> = { states: area![SERVICE_AREA_AT.states], counties: area![SERVICE_AREA_AT.counties] };
  addIfPresent(serviceArea, 'radiusMiles', area![SERVICE_AREA_AT.radiusMiles]);
  const fields: Record<string, unknown> = {
    id: v[SERVICE_AT.id],
    providerId: v[SERVICE_AT.providerId],
    name: v[SERVICE_AT.name],
    category: v[SERVICE_AT.category],
    location: locationOf(l!),
    serviceArea,
    modality: v[SERVICE_AT.modality],
    population: { minAge: pop![SERVICE_POPULATION_AT.minAge], maxAge: pop![SERVICE_POPULATION_AT.maxAge], genders: pop![SERVICE_POPULATION_AT.genders] },
    languages: v[SERVICE_AT.languages],
    active: v[SERVICE_AT.active],
  };
  addIfPresent(fields, 'waitDays', v[SERVICE_AT.waitDays]);
  addIfPresent(fields, 'openSlots', v[SERVICE_AT.openSlots]);
  return fields;
}

function cardOf(entity: object, shape: CardShape): string {
  return JSON.stringify([MATCH_CARD_VERSION, ...valuesOf(entity as Record<string, unknown>, shape)]);
}

/**
 * Version 1 cards (keyed JSON objects `{"v":1,…}`, holding the same fields) are still read, so a
 * deploy of this code does not fail matches over items the backfill has not rewritten yet; the
 * backfill gives them version 2. Any other version is refused, not misread.
 */
const KEYED_CARD_VERSION = 1;

/**
 * An index item this code cannot read as it stands: no card, a card of a version it does not
 * know, or a placement's capacity in the older layout (no `matchCount`). Its table item is
 * readable (`placementFromItem` and `serviceFromItem` read the older capacity layout too), so a
 * match reads those few from the table instead (match-candidates.ts) until the backfill has
 * brought them up to date: the window between a deploy that changes the index's layout and the
 * backfill costs a match a BatchGet, not a failure.
 */
export class UnreadableMatchItem extends Error {
  override name = 'UnreadableMatchItem';
}

/** The fields of a card: `ofValues` reads the current version (undefined: a required value is missing); a version-1 card holds its own keys. */
function fieldsOfCard(card: unknown, ofValues: (values: readonly unknown[]) => Record<string, unknown> | undefined): Record<string, unknown> {
  if (typeof card !== 'string') throw new UnreadableMatchItem('Match index item without a matchCard: run scripts/backfill-match-cards.ts');
  const parsed = JSON.parse(card) as unknown;
  if (Array.isArray(parsed) && parsed[0] === MATCH_CARD_VERSION) {
    const fields = ofValues(parsed);
    if (!fields) throw new UnreadableMatchItem(`Match card of ${String(parsed[1])} lacks a value its profile requires`);
    return fields;
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && (parsed as { v?: unknown }).v === KEYED_CARD_VERSION) {
    const { v: _version, ...fields } = parsed as Record<string, unknown>;
    return fields;
  }
  const version = Array.isArray(parsed) ? parsed[0] : (parsed as { v?: unknown } | null)?.v;
  throw new UnreadableMatchItem(`Match card version ${String(version)} is not ${MATCH_CARD_VERSION}: run scripts/backfill-match-cards.ts`);
}

/** The partition of `category` services in one cell of the matching index. */
export function serviceCategoryCellKey(cell: string, category: string): string {
  return `${cellPartitionKey('SERVICE', cell)}#${category}`;
}

/** The attributes a placement item carries for the matching index. */
export function placementMatchAttributes(p: Placement): { matchCard: string; gsi4pk: string; gsi4sk: string } {
  const keys = cellKeys('PLACEMENT', p.id, p.location);
  return { matchCard: cardOf(p, PLACEMENT_CARD_SHAPE), gsi4pk: keys.partition, gsi4sk: keys.sortKey };
}

/** The attributes a service item carries for the matching index. */
export function serviceMatchAttributes(s: Service): { matchCard: string; gsi4pk: string; gsi4sk: string } {
  const keys = cellKeys('SERVICE', s.id, s.location);
  return { matchCard: cardOf(s, SERVICE_CARD_SHAPE), gsi4pk: serviceCategoryCellKey(keys.cell, s.category), gsi4sk: keys.sortKey };
}

/** The attribute names these add to an item, which the API never returns. */
export const MATCH_INDEX_ATTRIBUTES = ['matchCard', 'gsi4pk', 'gsi4sk'] as const;

/**
 * The live capacity as the matching index carries it, beside the item's `holds` map (a
 * top-level attribute for this reason; shared/data/placements.ts):
 * - `matchCount`: `[total, occupied, updatedAt]` as positional JSON. Every write that changes one
 *   of the three also bumps the capacity version under a condition on the version it read, so it
 *   knows all three exactly and writes this in the same update.
 * - `matchConfirmedAt`: the last confirmation, absent when there is none. A confirmation does not
 *   bump the version (it changes no count), so it is a copy of its own, written by the same update
 *   as `capacity.confirmedAt`.
 * Why not project the `capacity` map itself: its eight nested attributes (who updated and
 * confirmed, the version) are a sixth of an index item that a match reads thousands of, and the
 * nested maps are what the SDK is slowest to parse. With these instead the demo's index items
 * average 583 bytes against 688, and reading and decoding a placement cost the Node process
 * 36–40 µs against 41–43 (DynamoDB Local, ×32, Document client). DynamoDB Local's own time did
 * not change: it follows the size of the table item, not of what an index projects.
 */
export function matchCapacityAttributes(c: Pick<StoredCapacity, 'total' | 'occupied' | 'updatedAt' | 'confirmedAt'>): { matchCount: string; matchConfirmedAt?: string } {
  return { matchCount: matchCountOf(c), ...(c.confirmedAt ? { matchConfirmedAt: c.confirmedAt } : {}) };
}

export function matchCountOf(c: Pick<StoredCapacity, 'total' | 'occupied' | 'updatedAt'>): string {
  return JSON.stringify([c.total, c.occupied, c.updatedAt ?? null]);
}

/** The capacity attribute names these add to a placement item, which the API never returns. */
export const MATCH_CAPACITY_ATTRIBUTES = ['matchCount', 'matchConfirmedAt'] as const;

/** What a match reads of a placement's capacity. */
export type MatchCapacity = Pick<StoredCapacity, 'total' | 'occupied' | 'holds' | 'updatedAt' | 'confirmedAt'>;

function capacityFromMatchItem(item: Record<string, unknown>): MatchCapacity {
  if (typeof item.matchCount !== 'string') throw new UnreadableMatchItem('Match index item without a matchCount: run scripts/backfill-match-cards.ts');
  const [total, occupied, updatedAt] = JSON.parse(item.matchCount) as [number, number, string | null];
  const confirmedAt = typeof item.matchConfirmedAt === 'string' ? item.matchConfirmedAt : null;
  return { total, occupied, holds: (item.holds as Record<string, string> | undefined) ?? {}, updatedAt, confirmedAt };
}

export function placementFromMatchItem(item: Record<string, unknown>): PlacementCard {
  const capacity = capacityFromMatchItem(item);
  const card = fieldsOfCard(item.matchCard, (values) => placementFieldsOf(values, capacity));
  card.capacity ??= capacity;
  return card as PlacementCard;
}

export function serviceFromMatchItem(item: Record<string, unknown>): ServiceCard {
  return fieldsOfCard(item.matchCard, serviceFieldsOf) as ServiceCard;
}
