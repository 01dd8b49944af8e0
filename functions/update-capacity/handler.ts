import { updateCapacity } from '../../shared/directory/capacity';
import { readIfMatch } from '../../shared/http/if-match';
import { routeHandler } from '../../shared/http/route-handler';
import { etag, ok } from '../../shared/http/responses';
import { CapacityReport } from '../../shared/schemas/directory';
import { IdParams } from '../../shared/schemas/params';

/** `{"total","occupied"}` only: `onHold` belongs to the system and is an unknown field here. */
export const handler = routeHandler('update-capacity', { body: CapacityReport, params: IdParams }, async (req) => {
  const ifMatch = readIfMatch(req.headers, { required: true })!;
  const capacity = await updateCapacity(req.params.id, req.body, ifMatch, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return ok(capacity, etag(capacity.version));
});
