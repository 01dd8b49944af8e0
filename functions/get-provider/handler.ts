import { readProvider } from '../../shared/directory/providers';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('get-provider', { params: IdParams }, async (req) => {
  const provider = await readProvider(req.params.id, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(provider, etag(provider.version));
});
