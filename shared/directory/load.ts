import type { Actor } from '../auth/actor';
import { getPlacement } from '../data/placements';
import { getService } from '../data/services';
import { NotFound } from '../errors';
import type { Placement, Service } from '../schemas/directory';

/** Who asks, for which request, and when: what every directory use case receives. */
export interface RequestMeta {
  actor: Actor;
  requestId: string;
  now: Date;
}

/*
 * Loading by id, kept apart from the create and search use cases so the routes that only read or
 * count (get, capacity, history) do not bundle the ZIP code dataset that location resolution needs.
 */

/** A placement or a 404. */
export async function loadPlacement(id: string, options: { consistent?: boolean } = {}): Promise<Placement> {
  const placement = await getPlacement(id, options);
  if (!placement) throw new NotFound('Placement', id);
  return placement;
}

/** A service or a 404. */
export async function loadService(id: string): Promise<Service> {
  const service = await getService(id);
  if (!service) throw new NotFound('Service', id);
  return service;
}
