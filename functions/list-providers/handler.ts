import { providersFor } from '../../shared/directory/providers';
import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { ListProvidersQuery } from './schema';

export const handler = routeHandler('list-providers', { query: ListProvidersQuery }, async (req) =>
  ok(await providersFor(req.query, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
