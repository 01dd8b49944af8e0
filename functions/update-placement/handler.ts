import { updatePlacement } from '../../shared/directory/placements';
import { readIfMatch } from '../../shared/http/if-match';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { UpdatePlacementBody } from '../../shared/schemas/directory';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('update-placement', { body: UpdatePlacementBody, params: IdParams }, async (req) => {
  const ifMatch = readIfMatch(req.headers, { required: false });
  const placement = await updatePlacement(req.params.id, req.body, ifMatch, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(placement, etag(placement.version));
});
