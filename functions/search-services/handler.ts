import { searchServices } from '../../shared/directory/services';
import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { SearchServicesQuery } from './schema';

export const handler = routeHandler('search-services', { query: SearchServicesQuery }, async (req) =>
  ok(await searchServices(req.query, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
