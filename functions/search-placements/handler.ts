import { searchPlacements } from '../../shared/directory/placements';
import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { SearchPlacementsQuery } from './schema';

export const handler = routeHandler('search-placements', { query: SearchPlacementsQuery }, async (req) =>
  ok(await searchPlacements(req.query, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
