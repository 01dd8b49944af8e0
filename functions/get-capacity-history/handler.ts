import { capacityHistory } from '../../shared/directory/capacity';
import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { IdParams } from '../../shared/schemas/params';
import { CapacityHistoryQuery } from './schema';

export const handler = routeHandler('get-capacity-history', { params: IdParams, query: CapacityHistoryQuery }, async (req) =>
  ok(await capacityHistory(req.params.id, req.query, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
