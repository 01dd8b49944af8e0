import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { unmetDemandReport } from '../../shared/matching/unmet-demand-report';
import { UnmetDemandQuery } from './schema';

/** GET /reports/unmet-demand: matches that found nowhere to go, counted by need, state and month. */
export const handler = routeHandler('get-unmet-demand', { query: UnmetDemandQuery }, async (req) =>
  ok(await unmetDemandReport(req.actor, req.query, new Date())),
);
