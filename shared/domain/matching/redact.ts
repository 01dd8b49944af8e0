import type { Role } from '../../auth/roles';
import type { StoredLocation } from '../../schemas/common';
import type { RankedPlacement } from './rank-placements';
import type { YouthProfile } from './youth';

/**
 * Privacy of match output (API.md §Privacy; DESIGN.md §6):
 * - a confidential placement's street address, ZIP and coordinates go only to admins and
 *   coordinators (and the owning provider, who never calls POST /matches); others get city,
 *   county, state and the distance;
 * - the youth's location and keep-away areas never reach provider staff.
 */

/** A placement's location as `role` may read it in a match result. */
export type MatchLocation = Pick<StoredLocation, 'city' | 'state'> & Partial<Omit<StoredLocation, 'city' | 'state'>>;

export function matchLocationFor(location: StoredLocation, role: Role): MatchLocation {
  const place: MatchLocation = { city: location.city, state: location.state, confidential: location.confidential };
  if (location.county) place.county = location.county;
  if (location.confidential && role !== 'admin' && role !== 'coordinator') return place;
  return { ...place, ...(location.address ? { address: location.address } : {}), zip: location.zip, lat: location.lat, lon: location.lon };
}

export type MatchResultView = Omit<RankedPlacement, 'location'> & { location: MatchLocation };

/** A result as `role` may read it. */
export function resultFor(result: RankedPlacement, role: Role): MatchResultView {
  return { ...result, location: matchLocationFor(result.location, role) };
}

/**
 * What of a youth profile provider staff may read (a referral's snapshot): everything a provider
 * needs to decide, without where the youth is, the areas kept away from, or the stay-near ZIP.
 */
export function youthForProvider(profile: YouthProfile): Omit<YouthProfile, 'location' | 'keepAway'> {
  const { location: _location, keepAway: _keepAway, preferences, ...rest } = profile;
  const { stayNearZip: _stayNear, ...otherPreferences } = preferences;
  return { ...rest, preferences: otherPreferences };
}
