import { createService } from '../../shared/directory/services';
import { routeHandler } from '../../shared/http/route-handler';
import { created, etag } from '../../shared/http/responses';
import { CreateServiceBody } from '../../shared/schemas/directory';

export const handler = routeHandler('create-service', { body: CreateServiceBody }, async (req) => {
  const service = await createService(req.body, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return created(service, etag(service.version));
});
