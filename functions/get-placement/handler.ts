import { loadPlacement } from '../../shared/directory/load';
import { placementView } from '../../shared/directory/views';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('get-placement', { params: IdParams }, async (req) => {
  const placement = await loadPlacement(req.params.id);
  return ok(placementView(placement, req.actor, new Date()), etag(placement.version));
});
