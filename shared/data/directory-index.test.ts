import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellsCoveringCircle, distanceMiles, geohash } from '../domain/geo';
import { createDocumentClient, setDocumentClient } from './client';
import type { CellRead } from './directory-index';
import { CELL_PRECISION, CELL_READ_PAGE_ITEMS, queryCellReadsInOrder, readsCoveringCircle, spanPerPartition } from './directory-index';
import { HarborTable } from './table';

const austin = { lat: 30.2672, lon: -97.7431 };
const oklahomaCity = { lat: 35.4676, lon: -97.5164 };

/** How many reads hold an item at `point` (sort key `<geohash9>#<id>` in the cell's partition). */
function readsHolding(reads: readonly CellRead[], point: { lat: number; lon: number }): number {
  const key = `${geohash(point, 9)}#p-1`;
  return reads.filter((r) => key.startsWith(r.partition) && (!r.range || (key >= r.range.from && key <= `${r.range.to}\uffff`))).length;
}

describe('the reads covering a search circle', () => {
  it('beyond 100 miles: one read per partition, holding every point within the radius exactly once', () => {
    for (const radius of [150, 300]) {
      const reads = readsCoveringCircle(austin, radius);
      expect(new Set(reads.map((r) => r.partition)).size).toBe(reads.length);
      const degrees = radius / 60;
      for (let dLat = -degrees; dLat <= degrees; dLat += 0.1) {
        for (let dLon = -degrees * 1.2; dLon <= degrees * 1.2; dLon += 0.1) {
          const p = { lat: austin.lat + dLat, lon: austin.lon + dLon };
          if (distanceMiles(austin, p) <= radius) expect(readsHolding(reads, p)).toBe(1);
        }
      }
    }
  });

  it('at 300 miles it reads fewer partitions than the bounding box, and not Oklahoma City, 360 miles away', () => {
    const reads = readsCoveringCircle(austin, 300);
    expect(reads.length).toBeLessThan(cellsCoveringCircle(austin, 300, CELL_PRECISION).length);
    expect(distanceMiles(austin, oklahomaCity)).toBeGreaterThan(300 + 30);
    expect(readsHolding(reads, oklahomaCity)).toBe(0);
    // Edge partitions are read in part: some reads have a range.
    expect(reads.some((r) => r.range)).toBe(true);
    expect(reads.some((r) => !r.range)).toBe(true);
  });

  it('a span over every child cell of a partition reads the whole partition', () => {
    expect(spanPerPartition([{ partition: '9v6', from: '9v60', to: '9v6k' }, { partition: '9v6', from: '9v6m', to: '9v6z' }])).toStrictEqual([{ partition: '9v6' }]);
    expect(spanPerPartition([{ partition: '9v6', from: '9v61', to: '9v63' }, { partition: '9v6', from: '9v6s', to: '9v6u' }])).toStrictEqual([
      { partition: '9v6', range: { from: '9v61', to: '9v6u' } },
    ]);
  });
});

describe('reads taken in order until enough', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => setDocumentClient(createDocumentClient({ region: 'us-east-1' })));
  afterEach(() => {
    ddb.reset();
    setDocumentClient(undefined);
  });

  it('page by at most CELL_READ_PAGE_ITEMS items, and follow every page of a read', async () => {
    const calls: { Limit?: number; ExclusiveStartKey?: unknown }[] = [];
    ddb.on(QueryCommand).callsFake(async (input: { Limit?: number; ExclusiveStartKey?: { n: number } }) => {
      calls.push(input);
      const page = input.ExclusiveStartKey?.n ?? 0;
      return { Items: [{ id: `item-${page}` }], ...(page < 2 ? { LastEvaluatedKey: { n: page + 1 } } : {}) };
    });
    const { values } = await queryCellReadsInOrder(HarborTable.indexes.forMatching, (cell) => `PLACEMENT#CELL#${cell}`, [{ partition: '9v6' }], {
      decode: (item) => item.id as string,
      take: () => undefined,
      enough: () => false,
    });
    expect(values).toStrictEqual(['item-0', 'item-1', 'item-2']);
    expect(calls.map((c) => c.Limit)).toStrictEqual([CELL_READ_PAGE_ITEMS, CELL_READ_PAGE_ITEMS, CELL_READ_PAGE_ITEMS]);
  });

  it('keep exactly the first reads that were enough, whichever answered first', async () => {
    // Six reads of three items each; later reads answer sooner, so reads 2–5 finish before 0 and 1.
    const reads: CellRead[] = ['9v0', '9v1', '9v2', '9v3', '9v4', '9v5'].map((partition) => ({ partition }));
    ddb.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Record<string, string> }) => {
      const cell = input.ExpressionAttributeValues[':pk']!.slice(-3);
      const index = Number(cell.slice(-1));
      await new Promise((resolve) => setTimeout(resolve, (6 - index) * 15));
      return { Items: [1, 2, 3].map((n) => ({ id: `${cell}-${n}` })) };
    });
    const taken: string[][] = [];
    const { values, used } = await queryCellReadsInOrder(HarborTable.indexes.forMatching, (cell) => `PLACEMENT#CELL#${cell}`, reads, {
      decode: (item) => item.id as string,
      take: (ids) => taken.push([...ids]),
      enough: (next) => next >= 2,
    });
    expect(used).toBe(2);
    expect(values).toStrictEqual(['9v0-1', '9v0-2', '9v0-3', '9v1-1', '9v1-2', '9v1-3']);
    // `take` saw the reads in order, and nothing after the stop.
    expect(taken).toStrictEqual([['9v0-1', '9v0-2', '9v0-3'], ['9v1-1', '9v1-2', '9v1-3']]);
  });

  it('a read under way when the reads before it turn out enough stops at the page it is on', async () => {
    // Read 0 answers late with one page; read 1 has many pages and is under way meanwhile.
    const pagesAsked = new Map<string, number>();
    ddb.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Record<string, string>; ExclusiveStartKey?: { page: number } }) => {
      const pk = input.ExpressionAttributeValues[':pk']!;
      pagesAsked.set(pk, (pagesAsked.get(pk) ?? 0) + 1);
      if (pk === '9v0') {
        await new Promise((resolve) => setTimeout(resolve, 40));
        return { Items: [{ id: 'a' }] };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      const page = input.ExclusiveStartKey?.page ?? 0;
      return { Items: [{ id: `b${page}` }], ...(page < 50 ? { LastEvaluatedKey: { page: page + 1 } } : {}) };
    });
    const { values, used } = await queryCellReadsInOrder(HarborTable.indexes.forMatching, (cell) => cell, [{ partition: '9v0' }, { partition: '9v1' }], {
      decode: (item) => item.id as string,
      take: () => {},
      enough: (next) => next >= 1,
    });
    expect({ values, used }).toStrictEqual({ values: ['a'], used: 1 });
    expect(pagesAsked.get('9v1')).toBeGreaterThan(1);
    expect(pagesAsked.get('9v1')).toBeLessThan(20);
  });

  it('never has more reads under way than the caller allows for how far it has got', async () => {
    let running = 0;
    const seen: { next: number; running: number }[] = [];
    let taken = 0;
    ddb.on(QueryCommand).callsFake(async () => {
      running++;
      seen.push({ next: taken, running });
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
      running--;
      return { Items: [{ id: 'x' }] };
    });
    const allowed = (next: number) => (next < 3 ? 2 : 5);
    const reads: CellRead[] = Array.from({ length: 30 }, (_, i) => ({ partition: `9v${i}` }));
    const { used } = await queryCellReadsInOrder(HarborTable.indexes.forMatching, (cell) => cell, reads, {
      decode: (item) => item.id,
      take: () => taken++,
      enough: () => false,
      inFlight: allowed,
    });
    expect(used).toBe(30);
    expect(seen.every((s) => s.running <= allowed(s.next))).toBe(true);
    expect(Math.max(...seen.map((s) => s.running))).toBe(5);
  });

  it('a read that fails fails the whole, once the reads under way have settled', async () => {
    ddb.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Record<string, string> }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (input.ExpressionAttributeValues[':pk'] === '9v3') throw new Error('throttled');
      return { Items: [{ id: 'x' }] };
    });
    const reads: CellRead[] = Array.from({ length: 10 }, (_, i) => ({ partition: `9v${i}` }));
    await expect(queryCellReadsInOrder(HarborTable.indexes.forMatching, (cell) => cell, reads, { decode: (item) => item.id, take: () => {}, enough: () => false })).rejects.toThrow('throttled');
  });

  it('read everything when nothing is ever enough', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ id: 'x' }] });
    const reads: CellRead[] = Array.from({ length: 20 }, (_, i) => ({ partition: `9v${i}` }));
    const { values, used } = await queryCellReadsInOrder(HarborTable.indexes.forMatching, (cell) => cell, reads, {
      decode: (item) => item.id,
      take: () => {},
      enough: () => false,
    });
    expect(used).toBe(20);
    expect(values).toHaveLength(20);
  });
});
