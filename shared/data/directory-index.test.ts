import { describe, expect, it } from 'vitest';
import { cellsCoveringCircle, distanceMiles, geohash } from '../domain/geo';
import type { CellRead } from './directory-index';
import { CELL_PRECISION, readsCoveringCircle, spanPerPartition } from './directory-index';

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
