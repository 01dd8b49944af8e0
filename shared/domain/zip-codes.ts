import zipcodes from 'zipcodes';
import type { Point } from './geo';

/**
 * ZIP → coordinates, offline, from the `zipcodes` npm dataset (US ZIP centroids with city and
 * state). No network call is ever made to resolve a ZIP.
 */
export interface ZipPlace extends Point {
  zip: string;
  city: string;
  state: string;
}

export function lookupZip(zip: string): ZipPlace | undefined {
  if (!/^\d{5}$/.test(zip)) return undefined;
  const hit = zipcodes.lookup(zip);
  if (!hit || hit.country !== 'US') return undefined;
  return { zip: hit.zip, city: hit.city, state: hit.state, lat: hit.latitude, lon: hit.longitude };
}
