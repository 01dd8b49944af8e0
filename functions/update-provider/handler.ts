import { updateProvider } from '../../shared/directory/providers';
import { readIfMatch } from '../../shared/http/if-match';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { UpdateProviderBody } from '../../shared/schemas/directory';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('update-provider', { body: UpdateProviderBody, params: IdParams }, async (req) => {
  const ifMatch = readIfMatch(req.headers, { required: false });
  const provider = await updateProvider(req.params.id, req.body, ifMatch, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(provider, etag(provider.version));
});
