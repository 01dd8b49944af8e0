import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { listStaleCounts } from '../../shared/matching/stale-counts';
import { ListStaleCountsQuery } from './schema';

/** GET /capacity/stale: placements in the caller's states whose bed counts need chasing. */
export const handler = routeHandler('list-stale-placements', { query: ListStaleCountsQuery }, async (req) => {
  const { state, freshness, limit, cursor } = req.query;
  return ok(
    await listStaleCounts(
      req.actor,
      { ...(state ? { state } : {}), freshness: freshness?.length ? freshness : ['stale', 'unknown'], limit, ...(cursor ? { cursor } : {}) },
      new Date(),
    ),
  );
});
