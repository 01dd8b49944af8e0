import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Point } from '../domain/geo';
import type { CellRange } from '../domain/geo';
import { geohash, rangesCoveringCircle } from '../domain/geo';
import { documentClient, tableName } from './client';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import { mapLimited } from './expressions';
import { queryAll } from './query-all';
import { HarborTable } from './table';

/**
 * The index keys shared by the two located entities of the directory (placements and services):
 * by geohash cell (gsi1), by state and county (gsi2), by owning provider (gsi3). Only this module
 * and the entity modules compose them.
 */
export type DirectoryKind = 'PLACEMENT' | 'SERVICE';

/**
 * Partitions are geohash cells of 3 characters (about 97 × 97 miles at the equator, 97 × 78 at
 * 35°N). A 50-mile search reads about 4 such partitions, a 300-mile one about 60, each a Query in
 * parallel; see docs/data-model.md for the trade-off.
 */
export const CELL_PRECISION = 3;

/** "Travis County", "travis" and "Orleans Parish" / "Orleans" index alike. */
const countyKey = (county: string | undefined) =>
  (county ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+(county|parish|borough)$/, '')
    .replace(/\s+/g, '_');

/** The gsi1 partition of a geohash cell (precision CELL_PRECISION) for `kind`. */
export function cellPartitionKey(kind: DirectoryKind, cell: string): string {
  return `${kind}#CELL#${cell}`;
}

/**
 * The cell keys of a located item: its cell's partition for `kind` and `<geohash9>#<id>`, so a
 * search can read sort-key ranges of smaller cells. gsi1 (search) and gsi4 (matching) use them.
 */
export function cellKeys(kind: DirectoryKind, id: string, location: Point): { cell: string; partition: string; sortKey: string } {
  const hash = geohash(location, 9);
  const cell = hash.slice(0, CELL_PRECISION);
  return { cell, partition: cellPartitionKey(kind, cell), sortKey: `${hash}#${id}` };
}

export function directoryIndexKeys(kind: DirectoryKind, id: string, e: { providerId: string; location: Point & { state: string; county?: string } }) {
  const byCell = cellKeys(kind, id, e.location);
  return {
    gsi1pk: byCell.partition,
    gsi1sk: byCell.sortKey,
    gsi2pk: `${kind}#STATE#${e.location.state}`,
    gsi2sk: `${countyKey(e.location.county)}#${id}`,
    gsi3pk: `${kind}#OWNER#${e.providerId}`,
    gsi3sk: id,
  };
}

/**
 * Up to this radius a search reads sort-key ranges of 4-character cells (about 21 × 12 miles)
 * that intersect its circle, rather than whole 3-character partitions: a 50-mile search then
 * reads about 10 small ranges instead of 6 partitions that include the next city. Beyond it the
 * number of ranges outgrows the saving, and each partition the circle reaches is read in one
 * span, from its first to its last intersecting 4-character cell.
 */
export const RANGE_SEARCH_MAX_RADIUS_MILES = 100;

export interface CellRead {
  /** The cell (precision CELL_PRECISION) whose partition is read. */
  partition: string;
  /** Sort-key bounds within the partition; absent = the whole partition. */
  range?: { from: string; to: string };
}

/** The partitions, or ranges of them, that hold every item whose cell intersects the circle. */
export function readsCoveringCircle(center: Point, radiusMiles: number): CellRead[] {
  const ranges = rangesCoveringCircle(center, radiusMiles, CELL_PRECISION, CELL_PRECISION + 1);
  return radiusMiles <= RANGE_SEARCH_MAX_RADIUS_MILES ? ranges.map((r) => ({ partition: r.partition, range: { from: r.from, to: r.to } })) : spanPerPartition(ranges);
}

const FIRST_CHILD = '0';
const LAST_CHILD = 'z';

/**
 * One read per partition, from the first to the last of its ranges: a span may take in cells
 * between two ranges, but one request costs more than a few extra items (DynamoDB Local: ~3 ms
 * per request). Partitions no range reaches are not read at all — at 300 miles the corners of the
 * circle's bounding box, and the parts of edge partitions beyond the circle, were a fifth of the
 * placements a match read. A span over every child cell is read as the whole partition.
 */
export function spanPerPartition(ranges: readonly CellRange[]): CellRead[] {
  const spans = new Map<string, { from: string; to: string }>();
  for (const r of ranges) {
    const span = spans.get(r.partition);
    spans.set(r.partition, span ? { from: span.from < r.from ? span.from : r.from, to: span.to > r.to ? span.to : r.to } : { from: r.from, to: r.to });
  }
  return [...spans].map(([partition, range]) =>
    range.from === partition + FIRST_CHILD && range.to === partition + LAST_CHILD ? { partition } : { partition, range },
  );
}

/**
 * Items per page of a cell read. DynamoDB stops a page at 1 MB (about 1,700 matching-index items,
 * 350 whole ones); this bounds it by count too, so that a read found not to be needed stops after
 * at most this many more items, and so that DynamoDB Local pages a dense partition in linear time:
 * for each page it fetches every item from the start key to the end of the range, then keeps the
 * first 1 MB (counting whole table items). At 100k placements the 8,801 of one partition took
 * 5.5 s in 16 pages unbounded, 1.7 s with this bound (1.5 s with 500, 2.8 s with 2,000).
 */
export const CELL_READ_PAGE_ITEMS = 1_000;

/** The Query of one read on `index`, whose partition for a read is `partitionKey(read.partition)`. */
function readQuery(index: { name: string; partitionKey: string; sortKey: string }, partitionKey: (cell: string) => string, read: CellRead) {
  return {
    TableName: tableName(),
    IndexName: index.name,
    Limit: CELL_READ_PAGE_ITEMS,
    KeyConditionExpression: read.range ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey, ...(read.range ? { '#sk': index.sortKey } : {}) },
    ExpressionAttributeValues: {
      ':pk': partitionKey(read.partition),
      ...(read.range ? { ':from': read.range.from, ':to': `${read.range.to}\uffff` } : {}),
    },
  };
}

/** Reads in flight at once, per call. */
const READS_IN_FLIGHT = 16;

/**
 * Every item of the reads, one Query (all its pages) per read, 16 at a time, on `index`. Sort
 * keys are `<geohash9>#<id>` in every cell index, so every key of a cell starts with the cell's
 * hash.
 */
export async function queryCellReads(
  index: { name: string; partitionKey: string; sortKey: string },
  partitionKey: (cell: string) => string,
  reads: readonly CellRead[],
): Promise<Record<string, unknown>[]> {
  const pages = await mapLimited(reads, READS_IN_FLIGHT, (read) => queryAll(readQuery(index, partitionKey, read)));
  return pages.flat();
}

/**
 * As `queryCellReads`, decoding each item, but the reads are taken in the order given and stop
 * once `enough(next)` says the first `next` reads, completed *in that order* and each handed to
 * `take` in that order, are enough: those make the answer. Reads started beyond that point are
 * dropped, and stop at the page they are on, so which reads count depends only on what they
 * hold, never on which answered first: the same data gives the same answer.
 *
 * At most `inFlight(next)` reads (never more than 16) are under way while the first `next` have
 * been taken: a caller that can tell how many more reads it will need keeps a dense directory
 * from starting reads it will drop. Asked again after every read.
 */
export async function queryCellReadsInOrder<T>(
  index: { name: string; partitionKey: string; sortKey: string },
  partitionKey: (cell: string) => string,
  reads: readonly CellRead[],
  within: {
    decode: (item: Record<string, unknown>) => T;
    take: (values: readonly T[]) => void;
    enough: (next: number) => boolean;
    inFlight?: (next: number) => number;
  },
): Promise<{ values: T[]; used: number }> {
  const done: (T[] | undefined)[] = new Array(reads.length);
  let used = reads.length;
  let prefix = 0;
  let started = 0;
  let running = 0;
  let failure: { error: unknown } | undefined;
  const limit = () => Math.max(1, Math.min(READS_IN_FLIGHT, within.inFlight?.(prefix) ?? READS_IN_FLIGHT));
  const finished = (i: number, items: Record<string, unknown>[]) => {
    // A read found not to be needed while it was under way is dropped undecoded.
    if (i >= used) return;
    done[i] = items.map(within.decode);
    while (prefix < used && done[prefix]) {
      within.take(done[prefix]!);
      prefix++;
      if (prefix < reads.length && within.enough(prefix)) used = prefix;
    }
  };
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (!failure && started < used && running < limit()) {
        const i = started++;
        running++;
        // A whole partition is several pages in a dense directory: a dropped read stops paging.
        queryAll(readQuery(index, partitionKey, reads[i]!), () => i >= used)
          .then((items) => finished(i, items))
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            running--;
            pump();
          });
      }
      if (running === 0 && (failure || started >= used)) {
        if (failure) reject(failure.error as Error);
        else resolve();
      }
    };
    pump();
  });
  return { values: done.slice(0, used).flat() as T[], used };
}

/** Every item of `kind` whose cell intersects the circle; the caller filters by true distance. */
export async function itemsNear(kind: DirectoryKind, center: Point, radiusMiles: number): Promise<Record<string, unknown>[]> {
  return queryCellReads(HarborTable.indexes.byCell, (cell) => cellPartitionKey(kind, cell), readsCoveringCircle(center, radiusMiles));
}

export interface IndexPageRequest {
  kind: DirectoryKind;
  /** Which partition: a state (with an optional county) or an owning provider. */
  by: { state: string; county?: string } | { providerId: string };
  limit: number;
  cursor?: string;
  /** Keeps only the items a search wants; pages are filled until `limit` or the partition ends. */
  keep: (item: Record<string, unknown>) => boolean;
  /**
   * Read at most this many items, then stop with a cursor where the reading stopped, even with
   * fewer than `limit` kept (none, when the filter is rare): one request's work stays bounded.
   */
  maxRead?: number;
}

/** One page of a state or owner partition, filtered in memory (`filteredPage`). */
export async function indexPage(req: IndexPageRequest): Promise<FilteredPage> {
  const index = 'state' in req.by ? HarborTable.indexes.byState : HarborTable.indexes.byOwner;
  const partition = 'state' in req.by ? `${req.kind}#STATE#${req.by.state}` : `${req.kind}#OWNER#${req.by.providerId}`;
  const sortKey = 'state' in req.by && req.by.county ? { beginsWith: `${countyKey(req.by.county)}#` } : undefined;
  return filteredPage({ ...req, index, partition, ...(sortKey ? { sortKey } : {}) });
}

export interface FilteredPageRequest extends Omit<IndexPageRequest, 'kind' | 'by'> {
  index: { name: string; partitionKey: string; sortKey: string };
  partition: string;
  /** Only the sort keys with this prefix, or between these two (inclusive). */
  sortKey?: { beginsWith: string } | { between: [string, string] };
}

export interface FilteredPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
  /** How many items the page read. */
  read: number;
}

/**
 * One page of an index partition (or a sort-key range of it), filtered in memory. The cursor is
 * the key of the last item read (not DynamoDB's LastEvaluatedKey), so a page cut short by
 * `limit` or `maxRead` resumes exactly after it.
 */
export async function filteredPage(req: FilteredPageRequest): Promise<FilteredPage> {
  const { index } = req;
  let startKey = req.cursor ? (decodeCursor(req.cursor).key as Record<string, unknown> | undefined) : undefined;
  // A cursor from another partition or range (another state, other freshness bands): DynamoDB
  // refuses a start key outside the key condition, and the client should hear it was the cursor.
  if (req.cursor && (!startKey || startKey[index.partitionKey] !== req.partition || !inSortKeyRange(startKey[index.sortKey], req.sortKey))) throw badCursor();
  const sortKey = sortKeyCondition(req.sortKey);

  const items: Record<string, unknown>[] = [];
  const maxRead = req.maxRead ?? Number.POSITIVE_INFINITY;
  let read = 0;
  let exhausted = false;
  while (items.length < req.limit && read < maxRead) {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index.name,
        KeyConditionExpression: `#pk = :pk${sortKey.condition}`,
        ExpressionAttributeNames: { '#pk': index.partitionKey, ...(req.sortKey ? { '#sk': index.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': req.partition, ...sortKey.values },
        Limit: Math.min(Math.max(25, req.limit * 2), maxRead - read),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const pageItems = page.Items ?? [];
    let stoppedInside = false;
    for (let i = 0; i < pageItems.length; i++) {
      const item = pageItems[i]!;
      read++;
      startKey = keyOf(item, index);
      if (req.keep(item)) items.push(item);
      if (items.length === req.limit) {
        stoppedInside = i < pageItems.length - 1;
        break;
      }
    }
    if (!page.LastEvaluatedKey && !stoppedInside) {
      exhausted = true;
      break;
    }
  }
  return { items, nextCursor: exhausted || !startKey ? null : encodeCursor({ key: startKey }), read };
}

function inSortKeyRange(value: unknown, sortKey: FilteredPageRequest['sortKey']): boolean {
  if (!sortKey) return true;
  if (typeof value !== 'string') return false;
  return 'beginsWith' in sortKey ? value.startsWith(sortKey.beginsWith) : value >= sortKey.between[0] && value <= sortKey.between[1];
}

function sortKeyCondition(sortKey: FilteredPageRequest['sortKey']): { condition: string; values: Record<string, string> } {
  if (!sortKey) return { condition: '', values: {} };
  if ('beginsWith' in sortKey) return { condition: ' AND begins_with(#sk, :sk)', values: { ':sk': sortKey.beginsWith } };
  return { condition: ' AND #sk BETWEEN :from AND :to', values: { ':from': sortKey.between[0], ':to': sortKey.between[1] } };
}

function keyOf(item: Record<string, unknown>, index: { partitionKey: string; sortKey: string }): Record<string, unknown> {
  return {
    pk: item.pk,
    sk: item.sk,
    [index.partitionKey]: item[index.partitionKey],
    [index.sortKey]: item[index.sortKey],
  };
}
