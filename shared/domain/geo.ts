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

/** Round to 0.1 mile: more precision than that would only suggest an accuracy ZIP centroids lack. */
export function roundMiles(miles: number): number {
  return Math.round(miles * 10) / 10;
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

/** The latitude/longitude box of a geohash cell. */
export function cellBounds(hash: string): { south: number; north: number; west: number; east: number } {
  let latLo = -90;
  let latHi = 90;
  let lonLo = -180;
  let lonHi = 180;
  let evenBit = true;
  for (const ch of hash) {
    const bits = BASE32.indexOf(ch);
    if (bits < 0) throw new Error(`Not a geohash: ${hash}`);
    for (let b = 4; b >= 0; b--) {
      const on = ((bits >> b) & 1) === 1;
      if (evenBit) {
        const mid = (lonLo + lonHi) / 2;
        if (on) lonLo = mid;
        else lonHi = mid;
      } else {
        const mid = (latLo + latHi) / 2;
        if (on) latLo = mid;
        else latHi = mid;
      }
      evenBit = !evenBit;
    }
  }
  return { south: latLo, north: latHi, west: lonLo, east: lonHi };
}

/** Distance from `p` to the nearest point of a cell (0 inside it): lets a search skip cells wholly outside its circle. */
export function distanceToCellMiles(p: Point, hash: string): number {
  const b = cellBounds(hash);
  const nearest = { lat: Math.min(b.north, Math.max(b.south, p.lat)), lon: Math.min(b.east, Math.max(b.west, p.lon)) };
  return distanceMiles(p, nearest);
}

/** A contiguous run of geohash prefixes inside one partition cell: every key from `from` up to `to` (inclusive, as prefixes). */
export interface CellRange {
  partition: string;
  from: string;
  to: string;
}

/**
 * The cells of `precision` characters that actually intersect the circle, grouped by their
 * `partitionPrecision`-character parent and merged into runs of consecutive cells (geohash order),
 * so a search reads each run with one sort-key range instead of its parent's whole partition.
 */
export function rangesCoveringCircle(center: Point, radiusMiles: number, partitionPrecision: number, precision: number): CellRange[] {
  return rangesCoveringCircles([center], radiusMiles, partitionPrecision, precision);
}

/** As `rangesCoveringCircle`, for the union of circles of one radius (each cell counted once). */
export function rangesCoveringCircles(centers: readonly Point[], radiusMiles: number, partitionPrecision: number, precision: number): CellRange[] {
  const cells = new Set<string>();
  for (const center of centers) {
    for (const c of cellsCoveringCircle(center, radiusMiles, precision)) if (!cells.has(c) && distanceToCellMiles(center, c) <= radiusMiles) cells.add(c);
  }
  const byParent = new Map<string, number[]>();
  for (const cell of cells) {
    const parent = cell.slice(0, partitionPrecision);
    const list = byParent.get(parent) ?? [];
    list.push(childIndex(cell.slice(partitionPrecision)));
    byParent.set(parent, list);
  }
  const ranges: CellRange[] = [];
  const width = precision - partitionPrecision;
  for (const [parent, indexes] of [...byParent.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    indexes.sort((a, b) => a - b);
    let start = indexes[0]!;
    let prev = start;
    for (const i of [...indexes.slice(1), Number.NaN]) {
      if (i === prev + 1) {
        prev = i;
        continue;
      }
      ranges.push({ partition: parent, from: parent + childSuffix(start, width), to: parent + childSuffix(prev, width) });
      start = i;
      prev = i;
    }
  }
  return ranges;
}

/** Position of a geohash suffix among its siblings, in sort order (base32 order is the key order). */
function childIndex(suffix: string): number {
  let index = 0;
  for (const ch of suffix) index = index * 32 + BASE32.indexOf(ch);
  return index;
}

function childSuffix(index: number, width: number): string {
  let suffix = '';
  for (let i = 0; i < width; i++) {
    suffix = BASE32[index % 32]! + suffix;
    index = Math.floor(index / 32);
  }
  return suffix;
}
