import { createProvider } from '../../shared/directory/providers';
import { routeHandler } from '../../shared/http/route-handler';
import { created, etag } from '../../shared/http/responses';
import { CreateProviderBody } from '../../shared/schemas/directory';

export const handler = routeHandler('create-provider', { body: CreateProviderBody }, async (req) => {
  const provider = await createProvider(req.body, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return created(provider, etag(provider.version));
});
