import { describe, expect, it } from 'vitest';
import { cellsCoveringCircle, distanceMiles, geohash } from './geo';
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
