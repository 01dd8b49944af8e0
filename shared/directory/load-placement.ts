import type { Actor } from '../auth/actor';
import { getPlacement } from '../data/placements';
import { NotFound } from '../errors';
import type { Placement } from '../schemas/directory';

/** Who asks, for which request, and when: what every directory use case receives. */
export interface RequestMeta {
  actor: Actor;
  requestId: string;
  now: Date;
}

/**
 * A placement or a 404. Kept apart from the create and search use cases so the routes that only
 * read or count (get, capacity, history) do not bundle the ZIP code dataset those need.
 */
export async function loadPlacement(id: string, options: { consistent?: boolean } = {}): Promise<Placement> {
  const placement = await getPlacement(id, options);
  if (!placement) throw new NotFound('Placement', id);
  return placement;
}
