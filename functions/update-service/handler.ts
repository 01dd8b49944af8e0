import { updateService } from '../../shared/directory/services';
import { readIfMatch } from '../../shared/http/if-match';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { UpdateServiceBody } from '../../shared/schemas/directory';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('update-service', { body: UpdateServiceBody, params: IdParams }, async (req) => {
  const ifMatch = readIfMatch(req.headers, { required: false });
  const service = await updateService(req.params.id, req.body, ifMatch, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(service, etag(service.version));
});
