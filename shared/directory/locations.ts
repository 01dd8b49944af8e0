import type { Point } from '../domain/geo';
import { lookupZip } from '../domain/zip-codes';
import { ValidationFailed } from '../errors';
import type { LocationInput, StoredLocation } from '../schemas/common';

/**
 * A stored location always has coordinates: given ones are kept, otherwise the ZIP's centroid is
 * used. A ZIP that is unknown, or in another state than the one given, is a 400 on that field.
 */
export function resolveLocation(input: LocationInput, path = 'location'): StoredLocation {
  const zip = lookupZip(input.zip);
  if (!zip) throw new ValidationFailed(`ZIP ${input.zip} is not a known US ZIP code.`, [{ path: `${path}.zip`, message: 'unknown ZIP code' }]);
  if (zip.state !== input.state) {
    throw new ValidationFailed(`ZIP ${input.zip} is in ${zip.state}, not ${input.state}.`, [
      { path: `${path}.zip`, message: `ZIP is in ${zip.state}, not ${input.state}` },
    ]);
  }
  if ((input.lat === undefined) !== (input.lon === undefined)) {
    const missing = input.lat === undefined ? 'lat' : 'lon';
    throw new ValidationFailed('Give both lat and lon, or neither.', [{ path: `${path}.${missing}`, message: 'required with the other coordinate' }]);
  }
  return {
    ...(input.address ? { address: input.address } : {}),
    city: input.city,
    ...(input.county ? { county: input.county } : {}),
    state: input.state,
    zip: input.zip,
    lat: input.lat ?? zip.lat,
    lon: input.lon ?? zip.lon,
    confidential: input.confidential,
  };
}

/** `near` as a query takes `lat,lon` or a 5-digit ZIP. */
export function parseNear(near: string, path = 'near'): Point {
  if (/^\d{5}$/.test(near)) {
    const zip = lookupZip(near);
    if (!zip) throw new ValidationFailed(`ZIP ${near} is not a known US ZIP code.`, [{ path, message: 'unknown ZIP code' }]);
    return { lat: zip.lat, lon: zip.lon };
  }
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(near);
  const lat = m ? Number(m[1]) : NaN;
  const lon = m ? Number(m[2]) : NaN;
  if (!m || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    throw new ValidationFailed('near must be "lat,lon" or a 5-digit ZIP code.', [{ path, message: 'must be "lat,lon" or a 5-digit ZIP' }]);
  }
  return { lat, lon };
}
