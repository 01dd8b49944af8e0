import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { listReferrals } from '../../shared/referrals/read';
import { ListReferralsQuery } from '../../shared/referrals/schemas';

/** Every role; each sees only the referrals it may (shared/referrals/access.ts). No youth details. */
export const handler = routeHandler('list-referrals', { query: ListReferralsQuery }, async (req) =>
  ok(await listReferrals(req.query, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
