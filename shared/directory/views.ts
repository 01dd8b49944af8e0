import type { Actor } from '../auth/actor';
import { canSeeCapacity, canSeeConfidentialLocation } from '../auth/access';
import type { CapacityView } from '../domain/capacity';
import { capacityView } from '../domain/capacity';
import type { Point } from '../domain/geo';
import { distanceMiles, roundMiles } from '../domain/geo';
import type { StoredLocation } from '../schemas/common';
import type { Placement, Service } from '../schemas/directory';

/** A location as one caller may see it: a safe house's street and coordinates only to those allowed. */
export type LocationView = Omit<StoredLocation, 'lat' | 'lon' | 'address'> & { address?: string; lat?: number; lon?: number };

export function locationView(location: StoredLocation, actor: Actor, providerId: string): LocationView {
  if (!location.confidential || canSeeConfidentialLocation(actor, providerId)) return { ...location };
  const { address: _address, lat: _lat, lon: _lon, ...rest } = location;
  return rest;
}

export type PlacementView = Omit<Placement, 'capacity' | 'location'> & {
  location: LocationView;
  /** Absent for another provider's staff, who never see a competitor's live counts. */
  capacity?: CapacityView;
  distanceMiles?: number;
};

/** What a caller receives for a placement: redacted for them, with capacity derived at `now`. */
export function placementView(p: Placement, actor: Actor, now: Date, origin?: Point): PlacementView {
  const { capacity, location, ...profile } = p;
  const view: PlacementView = { ...profile, location: locationView(location, actor, p.providerId) };
  if (canSeeCapacity(actor, p.providerId)) view.capacity = capacityView(capacity, now);
  if (origin) view.distanceMiles = roundMiles(distanceMiles(origin, location));
  return view;
}

export type ServiceView = Omit<Service, 'location'> & { location: LocationView; distanceMiles?: number };

export function serviceView(s: Service, actor: Actor, origin?: Point): ServiceView {
  const view: ServiceView = { ...s, location: locationView(s.location, actor, s.providerId) };
  if (origin) view.distanceMiles = roundMiles(distanceMiles(origin, s.location));
  return view;
}
