import zipcodes from 'zipcodes';
import type { Point } from '../geo';
import type { ZipPlace } from '../zip-codes';

let usZips: ZipPlace[] | undefined;

function allUsZips(): ZipPlace[] {
  usZips ??= Object.values(zipcodes.codes)
    .filter((z) => z.country === 'US')
    .map((z) => ({ zip: z.zip, city: z.city, state: z.state, lat: z.latitude, lon: z.longitude }));
  return usZips;
}

/**
 * The US ZIP whose centroid is nearest `point` — offline, so a youth given by coordinates still
 * has a home state for the out-of-state rule. An equirectangular distance is exact enough to pick
 * the nearest of ~41k centroids and keeps this a single pass (about a millisecond).
 */
export function nearestZipPlace(point: Point): ZipPlace | undefined {
  const cos = Math.cos((point.lat * Math.PI) / 180);
  let best: ZipPlace | undefined;
  let bestD = Infinity;
  for (const z of allUsZips()) {
    const dLat = z.lat - point.lat;
    const dLon = (z.lon - point.lon) * cos;
    const d = dLat * dLat + dLon * dLon;
    if (d < bestD) {
      bestD = d;
      best = z;
    }
  }
  return best;
}
