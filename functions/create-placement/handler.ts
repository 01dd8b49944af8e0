import { createPlacement } from '../../shared/directory/placements';
import { routeHandler } from '../../shared/http/route-handler';
import { created, etag } from '../../shared/http/responses';
import { CreatePlacementBody } from '../../shared/schemas/directory';

export const handler = routeHandler('create-placement', { body: CreatePlacementBody }, async (req) => {
  const placement = await createPlacement(req.body, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return created(placement, etag(placement.version));
});
