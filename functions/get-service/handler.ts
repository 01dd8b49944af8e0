import { loadService } from '../../shared/directory/load';
import { serviceView } from '../../shared/directory/views';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('get-service', { params: IdParams }, async (req) => {
  const service = await loadService(req.params.id);
  return ok(serviceView(service, req.actor), etag(service.version));
});
