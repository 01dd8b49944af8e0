import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { listCapacityRequests } from '../../shared/matching/capacity-requests';
import { ListCapacityRequestsQuery } from './schema';

/** GET /capacity-requests: open "please confirm your count" requests for a provider's placements. */
export const handler = routeHandler('list-capacity-requests', { query: ListCapacityRequestsQuery }, async (req) =>
  ok(await listCapacityRequests(req.actor, req.query, new Date())),
);
