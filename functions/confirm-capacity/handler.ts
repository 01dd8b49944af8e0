import { confirmCapacity } from '../../shared/directory/capacity';
import { readIfMatch } from '../../shared/http/if-match';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';

export const handler = routeHandler('confirm-capacity', { params: IdParams }, async (req) => {
  const ifMatch = readIfMatch(req.headers, { required: false });
  const capacity = await confirmCapacity(req.params.id, ifMatch, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(capacity, etag(capacity.version));
});
