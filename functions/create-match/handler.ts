import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { createMatch } from '../../shared/matching/create-match';
import { MatchRequestBody } from './schema';

/** POST /matches: ranked, explained placements for one youth (coordinators, caseworkers, admins). */
export const handler = routeHandler('create-match', { body: MatchRequestBody }, async (req) =>
  ok(await createMatch(req.body, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
