import { readService } from '../../shared/directory/services';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('get-service', { params: IdParams }, async (req) => {
  const service = await readService(req.params.id, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(service, etag(service.version));
});
