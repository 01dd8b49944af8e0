import { config } from '../config/env';
import type { Point } from '../domain/geo';
import { distanceMiles, distanceToCellMiles, rangesCoveringCircles } from '../domain/geo';
import type { ContenderPlace } from '../domain/matching/wraparound-reads';
import { PackedPlacements } from '../domain/matching/packed-placements';
import { PackedServices } from '../domain/matching/packed-services';
import { withProviderStatus } from '../domain/placement-status';
import type { ServiceCategory } from '../schemas/vocabulary';
import { CELL_PRECISION, cellPartitionKey, queryCellReads, queryCellReadsInOrder, readsCoveringCircle, spanPerPartition } from './directory-index';
import type { Placement, Service } from '../schemas/directory';
import { log } from '../http/logger';
import { batchGetItems } from './batch-get';
import { placementFromMatchItem, serviceCategoryCellKey, serviceFromMatchItem, UnreadableMatchItem } from './match-cards';
import { placementFromItem } from './placements';
import { serviceFromItem, serviceItemKeyOfListing } from './services';
import { inactiveProviderIds } from './providers';
import { mapLimited } from './expressions';
import { indexPartitionQuery, queryAll } from './query-all';
import { HarborTable } from './table';
import { telehealthListingPartition } from './telehealth-listings';

/**
 * The reads of one match, from the matching index (gsi4, see match-cards.ts) — never a Scan:
 * each item there is a placement's or service's match card and, for placements, the live
 * capacity (the holds and the counts' compact copies). At 10k placements a 300-mile match reads about 4,800 placements; whole items
 * from the geo index would be about 14 MB.
 *
 * The objects returned hold only the card's fields (and capacity): typed as the entities because
 * the ranking reads no others (PLACEMENT_CARD_FIELDS and SERVICE_CARD_FIELDS name them).
 */

/**
 * A match stops reading placements, nearest cells first, once it holds this many it could offer
 * (`offerable`: every hard rule but distance passed); `MATCH_OFFERABLE_BUDGET` in the environment,
 * 2,000 by default. A 300-mile circle at 100k placements as concentrated as the demo holds
 * ~54,000 and did not finish within the API's 29 s; 2,000 programs that can take the youth are
 * far more than a top 20 needs. At 10k placements a 300-mile match around any of six metros holds
 * 900–1,470 (measured for a 15-year-old girl with CSEC and substance-use needs and for a
 * 14-year-old boy with none), so the budget changes nothing there.
 */
export function matchOfferableBudget(): number {
  return config().MATCH_OFFERABLE_BUDGET;
}

/**
 * The budget never stops a search nearer than this: one dense cell must not shrink the search to
 * the few miles between the youth and the edge of the next cell.
 */
export const MATCH_MIN_RADIUS_MILES = 50;

/**
 * The most partition reads one match makes. Beyond 100 miles a match reads each 3-character
 * partition its circle reaches, and the schema lets a youth's maximum distance go to 3,000 miles:
 * 51 reads at 300 miles from Austin, 433 at 1,000, 3,789 at 3,000 — most of them empty (sea,
 * Canada, Mexico), yet each a request. 3,789 took 11.8 s on DynamoDB Local, and five such matches
 * at once ran past the API's 29 s. So a match reads the 400 partitions nearest the youth at most
 * (every program within 962 miles of Austin, 889 of Chicago, 843 of Seattle: partitions narrow
 * towards the pole) and reports the radius those cover, as the budget does. 400 reads took 3.6 s
 * on DynamoDB Local (matches-budget.test.ts, from Austin).
 */
export const MATCH_MAX_CELL_READS = 400;

export interface PlacementsForMatch {
  /** The placements (`packed.placements`), packed for the ranking once read (packed-placements.ts). */
  packed: PackedPlacements;
  /**
   * The radius every placement within which was read: the requested one, or less when the budget
   * stopped the read first (whole miles; placements read beyond it are dropped, so the answer is
   * "every placement within this distance").
   */
  radiusMiles: number;
  /** Why the search stopped short of the requested radius, when it did. */
  narrowedBy?: 'budget' | 'reads';
  /** The inactive providers as this match read them, for its services (`servicesForMatch`). */
  inactiveProviders: ReadonlySet<string>;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The placements in the cells covering the circle (the caller applies the true distance), read
 * partition by partition from the nearest, until `budget` offerable ones lie within a radius of
 * at least MATCH_MIN_RADIUS_MILES that every read taken covers, or MATCH_MAX_CELL_READS reads have
 * been taken; the search then stops at that radius. A placement whose provider is inactive comes
 * back inactive, whatever its own flag says: the ranking then excludes it with the rule `inactive`.
 */
export async function placementsForMatch(
  center: Point,
  radiusMiles: number,
  offerable: (p: Placement) => boolean,
  budget = matchOfferableBudget(),
): Promise<PlacementsForMatch> {
  // Nearest first by the partition's nearest point: every placement nearer than the next unread
  // read's partition is in a read already taken.
  const reads = readsCoveringCircle(center, radiusMiles)
    .map((read) => ({ read, nearest: distanceToCellMiles(center, read.partition) }))
    .sort((a, b) => a.nearest - b.nearest || compare(a.read.partition, b.read.partition) || compare(a.read.range?.from ?? '', b.read.range?.from ?? ''));
  const inactiveProviders = await inactiveProviderIds();
  const withStatus = (p: Placement) => withProviderStatus(p, inactiveProviders);
  const asPlacement = (item: Record<string, unknown>) => fromMatchItem(item, (i) => withStatus(placementFromMatchItem(i) as Placement), ownKey);
  // Reads of partitions nearer than the minimum radius are always taken.
  let mandatory = 0;
  while (mandatory < reads.length && Math.floor(reads[mandatory]!.nearest) < MATCH_MIN_RADIUS_MILES) mandatory++;
  // Stop before read `next` once the placements read hold `budget` offerable ones nearer than
  // every unread partition: then "every placement within the radius" holds that many.
  const offerableMiles: number[] = [];
  const { values, used } = await queryCellReadsInOrder(
    HarborTable.indexes.forMatching,
    (cell) => cellPartitionKey('PLACEMENT', cell),
    // The nearest MATCH_MAX_CELL_READS at most; the first left unread then bounds the radius.
    reads.slice(0, MATCH_MAX_CELL_READS).map((r) => r.read),
    {
      decode: asPlacement,
      take: (taken) => {
        // One left for the table (`ToReadFromTable`) counts as not offerable: the budget may then
        // read a little further than it needed to, never less far.
        for (const p of taken) if (!isToReadFromTable(p) && offerable(p)) offerableMiles.push(distanceMiles(center, p.location));
      },
      enough: (next) => {
        const covered = Math.floor(reads[next]!.nearest);
        if (covered < MATCH_MIN_RADIUS_MILES) return false;
        let within = 0;
        for (const miles of offerableMiles) if (miles <= covered) within++;
        return within >= budget;
      },
      inFlight: (next) => readsWorthStarting(next, mandatory, offerableMiles.length, budget),
    },
  );
  const placements = await withTableReads(values, (item) => withStatus(placementFromItem(item)));
  if (used === reads.length) return { packed: PackedPlacements.of(placements), radiusMiles, inactiveProviders };
  const covered = Math.floor(reads[used]!.nearest);
  const narrowedBy = used >= MATCH_MAX_CELL_READS ? 'reads' : 'budget';
  return { packed: PackedPlacements.of(placements.filter((p) => distanceMiles(center, p.location) <= covered)), radiusMiles: covered, narrowedBy, inactiveProviders };
}

/**
 * How many reads a match keeps under way once it has taken the first `taken`: those nearer than
 * the minimum radius still to come, and as many beyond as the budget still looks to need at the
 * rate offerable placements have come so far, half again for luck (2 before any has been taken,
 * and 2 once the budget is met, for the radius to be confirmed). In a dense directory each read
 * is a whole partition of thousands of placements, and every read started beyond those needed is
 * dropped: at 16 in flight from the start, most of a 100k match's reading was. Where the budget is
 * far off (a 10k directory), this is the 16 it would start anyway.
 */
export function readsWorthStarting(taken: number, mandatory: number, offerable: number, budget: number): number {
  const mandatoryLeft = Math.max(0, mandatory - taken);
  if (taken === 0) return mandatoryLeft + 2;
  const short = budget - offerable;
  if (short <= 0) return mandatoryLeft + 2;
  if (offerable === 0) return Infinity;
  return mandatoryLeft + Math.ceil((1.5 * short * taken) / offerable);
}

/**
 * The services a match's wraparound can use, each once: for each category, (1) those listed in
 * the part of each cell partition that the circles of `radiusMiles` around that category's
 * contenders reach (`wraparoundReads`: the contenders with a gap the category fills): per
 * partition, one sort-key span from the first to the last 4-character cell (about 21 × 12 miles)
 * a circle intersects (`spanPerPartition`), and one Query per span and category. Reading each run
 * of cells apart would read fewer services but make three times the requests (measured on
 * DynamoDB Local: 96 spans 0.44 s, 333 runs 1.2 s). (2) The head of the category's telehealth
 * listings in each state those contenders are in, up to the first service that `settles` the
 * listing (telehealth-listings.ts): a telehealth service serves its states wherever it is listed.
 * They come back packed for the wraparound search (packed-services.ts).
 *
 * A service whose provider is among `inactiveProviders` (as `placementsForMatch` read them for
 * this match) comes back inactive, whatever its own flag says, as it is decoded: the wraparound
 * search then passes over it as over any inactive service, and at a listing's head it does not
 * settle the listing, so the read goes on past it.
 */
export async function servicesForMatch(
  placesByCategory: ReadonlyMap<ServiceCategory, readonly ContenderPlace[]>,
  radiusMiles: number,
  settles: (s: Service) => boolean,
  inactiveProviders: ReadonlySet<string>,
): Promise<PackedServices> {
  const withStatus = (s: Service) => withProviderStatus(s, inactiveProviders);
  const decode = (item: Record<string, unknown>) => withStatus(serviceFromMatchItem(item) as Service);
  const categories = [...placesByCategory];
  const [inPerson, telehealth] = await Promise.all([
    Promise.all(
      categories.map(([category, places]) =>
        queryCellReads(
          HarborTable.indexes.forMatching,
          (cell) => serviceCategoryCellKey(cell, category),
          spanPerPartition(rangesCoveringCircles(places, radiusMiles, CELL_PRECISION, CELL_PRECISION + 1)),
        ),
      ),
    ),
    mapLimited(
      categories.flatMap(([category, places]) => [...new Set(places.map((p) => p.state))].map((state) => telehealthListingPartition(state, category))),
      8,
      (partition) => listingHead(partition, decode, settles),
    ),
  ]);
  const found = await withTableReads([...inPerson.flat().map((item) => fromMatchItem(item, decode, ownKey)), ...telehealth.flat()], (item) => withStatus(serviceFromItem(item)));
  const byId = new Map<string, Service>();
  for (const s of found) if (!byId.has(s.id)) byId.set(s.id, s);
  return PackedServices.of([...byId.values()]);
}

/** Listing items read per page: the first that settles a listing is usually among the first few. */
const LISTING_PAGE = 25;

/** A telehealth listing's services in order (`decode`d), up to and including the first that settles it. */
async function listingHead(partition: string, decode: (item: Record<string, unknown>) => Service, settles: (s: Service) => boolean): Promise<(Service | ToReadFromTable)[]> {
  const head: (Service | ToReadFromTable)[] = [];
  let settled = false;
  await queryAll(
    { ...indexPartitionQuery(HarborTable.indexes.forMatching, partition), Limit: LISTING_PAGE },
    (page) => {
      for (const item of page) {
        if (settled) break;
        // A listing item's service is read from the service's own item when the card cannot be
        // read; it cannot settle the listing meanwhile, so the head goes on to one that does.
        const s = fromMatchItem(item, decode, serviceItemKeyOfListing);
        head.push(s);
        settled = !isToReadFromTable(s) && settles(s);
      }
      return settled;
    },
  );
  return head;
}

/**
 * An index item this code cannot read (`UnreadableMatchItem`: a card of another version or
 * missing a value its schema requires, the older capacity layout): the key of the table item to
 * read instead.
 */
interface ToReadFromTable {
  readonly tableKey: Record<string, unknown>;
}

function isToReadFromTable(x: object): x is ToReadFromTable {
  return 'tableKey' in x;
}

/** The key of the table item an index entry is of (a Query of an index returns the table's keys too). */
const ownKey = (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk });

/**
 * `decode(item)`, or, when the index item cannot be read, the table item to read instead
 * (`tableKeyOf`, asked only then: this runs for every placement a match reads).
 */
function fromMatchItem<T extends object>(
  item: Record<string, unknown>,
  decode: (item: Record<string, unknown>) => T,
  tableKeyOf: (item: Record<string, unknown>) => Record<string, unknown>,
): T | ToReadFromTable {
  try {
    return decode(item);
  } catch (error) {
    if (error instanceof UnreadableMatchItem) return { tableKey: tableKeyOf(item) };
    throw error;
  }
}

/**
 * `values` with every `ToReadFromTable` replaced by its table item, decoded (one BatchGet for
 * all; an item gone since the index was read is left out, as the index would soon leave it out).
 * None at all once the backfill has run: this costs a match nothing then.
 */
async function withTableReads<T extends object>(values: readonly (T | ToReadFromTable)[], decode: (item: Record<string, unknown>) => T): Promise<T[]> {
  const read: T[] = [];
  const keys: Record<string, unknown>[] = [];
  for (const v of values) {
    if (isToReadFromTable(v)) keys.push(v.tableKey);
    else read.push(v);
  }
  if (keys.length === 0) return read;
  // A service met both in a cell and at a listing's head has two entries naming its one item;
  // batchGetItems reads it once.
  const items = await batchGetItems(keys);
  log('warn', 'match read items from the table: their matching-index entries could not be read (scripts/backfill-match-cards.ts rewrites those of an older layout)', {
    items: items.length,
  });
  for (const item of items) read.push(decode(item));
  return read;
}
