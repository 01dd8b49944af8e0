/** Geography in miles: distance, geohash cells, and the cells a search circle must read. */

export interface Point {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_MILES = 3958.8;
const toRad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine). */
export function distanceMiles(a: Point, b: Point): number {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** Standard geohash of `precision` characters. */
export function geohash(point: Point, precision = 9): string {
  let latLo = -90;
  let latHi = 90;
  let lonLo = -180;
  let lonHi = 180;
  let hash = '';
  let bits = 0;
  let bitCount = 0;
  let evenBit = true;
  while (hash.length < precision) {
    if (evenBit) {
      const mid = (lonLo + lonHi) / 2;
      if (point.lon >= mid) {
        bits = (bits << 1) | 1;
        lonLo = mid;
      } else {
        bits <<= 1;
        lonHi = mid;
      }
    } else {
      const mid = (latLo + latHi) / 2;
      if (point.lat >= mid) {
        bits = (bits << 1) | 1;
        latLo = mid;
      } else {
        bits <<= 1;
        latHi = mid;
      }
    }
    evenBit = !evenBit;
    if (++bitCount === 5) {
      hash += BASE32[bits];
      bits = 0;
      bitCount = 0;
    }
  }
  return hash;
}

/** Size in degrees of a geohash cell of `precision` characters. */
export function cellSize(precision: number): { latDeg: number; lonDeg: number } {
  const totalBits = precision * 5;
  const lonBits = Math.ceil(totalBits / 2);
  const latBits = Math.floor(totalBits / 2);
  return { latDeg: 180 / 2 ** latBits, lonDeg: 360 / 2 ** lonBits };
}

/**
 * The geohash cells of `precision` characters that together cover a circle of `radiusMiles`
 * around `center`. It walks the circle's bounding box in steps of one cell, so every cell that
 * touches the box is returned exactly once; callers filter by true distance afterwards.
 */
export function cellsCoveringCircle(center: Point, radiusMiles: number, precision: number): string[] {
  const latDelta = radiusMiles / 69.0;
  // Near the poles a degree of longitude shrinks to nothing; clamp so the box stays finite.
  const cosLat = Math.max(0.01, Math.cos(toRad(center.lat)));
  const lonDelta = Math.min(180, radiusMiles / (69.172 * cosLat));
  const south = Math.max(-90, center.lat - latDelta);
  const north = Math.min(90, center.lat + latDelta);
  const west = center.lon - lonDelta;
  const east = center.lon + lonDelta;
  const { latDeg, lonDeg } = cellSize(precision);
  const cells = new Set<string>();
  // Step half a cell so rounding at cell edges never skips one.
  for (let lat = south; lat <= north + latDeg / 2; lat += latDeg / 2) {
    for (let lon = west; lon <= east + lonDeg / 2; lon += lonDeg / 2) {
      const clampedLat = Math.min(north, lat);
      const clampedLon = Math.min(east, lon);
      const wrappedLon = ((((clampedLon + 180) % 360) + 360) % 360) - 180;
      cells.add(geohash({ lat: clampedLat, lon: wrappedLon }, precision));
    }
  }
  return [...cells].sort();
}
