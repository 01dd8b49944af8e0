import { describe, expect, it } from 'vitest';
import { cellBounds, cellsCoveringCircle, distanceMiles, geohash, rangesCoveringCircle, rangesCoveringCircles } from './geo';
import { lookupZip } from './zip-codes';

const austin = { lat: 30.2672, lon: -97.7431 };
const sanAntonio = { lat: 29.4241, lon: -98.4936 };
const dallas = { lat: 32.7767, lon: -96.797 };

describe('distance', () => {
  it('matches known road-atlas great-circle distances within 1%', () => {
    expect(distanceMiles(austin, sanAntonio)).toBeGreaterThan(73);
    expect(distanceMiles(austin, sanAntonio)).toBeLessThan(75);
    expect(distanceMiles(austin, dallas)).toBeCloseTo(182.5, -1);
  });

  it('is zero to itself and symmetric', () => {
    expect(distanceMiles(austin, austin)).toBe(0);
    expect(distanceMiles(austin, dallas)).toBeCloseTo(distanceMiles(dallas, austin), 9);
  });
});

describe('geohash', () => {
  it('encodes the reference point of the geohash literature', () => {
    expect(geohash({ lat: 57.64911, lon: 10.40744 }, 11)).toBe('u4pruydqqvj');
  });

  it('the cells covering a circle contain every point inside it', () => {
    const radius = 120;
    const cells = new Set(cellsCoveringCircle(austin, radius, 3));
    // Walk a grid of points; every one within the radius must fall in a returned cell.
    for (let dLat = -2; dLat <= 2; dLat += 0.1) {
      for (let dLon = -2.5; dLon <= 2.5; dLon += 0.1) {
        const p = { lat: austin.lat + dLat, lon: austin.lon + dLon };
        if (distanceMiles(austin, p) <= radius) expect(cells.has(geohash(p, 3))).toBe(true);
      }
    }
  });

  it('keeps a 50-mile search to a handful of partitions', () => {
    expect(cellsCoveringCircle(austin, 50, 3).length).toBeLessThanOrEqual(6);
  });
});

describe('ZIP codes (offline dataset)', () => {
  it('resolves a real ZIP to its city, state and coordinates', () => {
    expect(lookupZip('78701')).toMatchObject({ city: 'Austin', state: 'TX' });
    expect(lookupZip('78701')!.lat).toBeCloseTo(30.27, 1);
  });

  it('knows nothing of a ZIP that does not exist or is malformed', () => {
    expect(lookupZip('00000')).toBeUndefined();
    expect(lookupZip('7870')).toBeUndefined();
  });
});

describe('sort-key ranges covering a circle', () => {
  it('every point within the radius falls in exactly one range, and ranges skip far cells', () => {
    for (const [center, radius] of [[austin, 50], [dallas, 25], [sanAntonio, 75]] as const) {
      const ranges = rangesCoveringCircle(center, radius, 3, 4);
      const inRange = (hash: string) => ranges.filter((r) => hash.startsWith(r.partition) && hash.slice(0, 4) >= r.from && hash.slice(0, 4) <= r.to).length;
      for (let dLat = -1.2; dLat <= 1.2; dLat += 0.05) {
        for (let dLon = -1.4; dLon <= 1.4; dLon += 0.05) {
          const p = { lat: center.lat + dLat, lon: center.lon + dLon };
          if (distanceMiles(center, p) <= radius) expect(inRange(geohash(p, 9))).toBe(1);
        }
      }
    }
    // San Antonio (74 miles from Austin) is outside a 50-mile circle around Austin: no range holds it.
    const ranges = rangesCoveringCircle(austin, 50, 3, 4);
    const sa = geohash(sanAntonio, 9);
    expect(ranges.some((r) => sa.startsWith(r.partition) && sa.slice(0, 4) >= r.from && sa.slice(0, 4) <= r.to)).toBe(false);
  });

  it('for several circles, every point within the radius of any of them falls in exactly one range', () => {
    const houston = { lat: 29.76, lon: -95.37 };
    const centers = [austin, sanAntonio, houston];
    const ranges = rangesCoveringCircles(centers, 25, 3, 4);
    const inRange = (hash: string) => ranges.filter((r) => hash.startsWith(r.partition) && hash.slice(0, 4) >= r.from && hash.slice(0, 4) <= r.to).length;
    for (let lat = 28.9; lat <= 30.9; lat += 0.04) {
      for (let lon = -99.2; lon <= -94.9; lon += 0.04) {
        const p = { lat, lon };
        if (centers.some((c) => distanceMiles(c, p) <= 25)) expect(inRange(geohash(p, 9))).toBe(1);
      }
    }
    // Halfway to Houston (146 miles from Austin), further from every circle than a cell is wide: no range is read.
    const halfway = { lat: 30.0, lon: -96.55 };
    expect(centers.every((c) => distanceMiles(c, halfway) > 25 + 30)).toBe(true);
    expect(inRange(geohash(halfway, 9))).toBe(0);
  });

  it('cell bounds contain the point they were hashed from', () => {
    const b = cellBounds(geohash(austin, 5));
    expect(austin.lat).toBeGreaterThanOrEqual(b.south);
    expect(austin.lat).toBeLessThanOrEqual(b.north);
    expect(austin.lon).toBeGreaterThanOrEqual(b.west);
    expect(austin.lon).toBeLessThanOrEqual(b.east);
  });
});
