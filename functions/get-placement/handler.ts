import { placementForReader } from '../../shared/directory/placements';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('get-placement', { params: IdParams }, async (req) => {
  const { view, version } = await placementForReader(req.params.id, req.actor, new Date());
  return ok(view, etag(version));
});
