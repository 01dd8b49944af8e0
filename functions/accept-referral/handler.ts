import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { acceptReferral } from '../../shared/referrals/accept';
import { IdParams } from '../../shared/schemas/params';

/** Staff of the placement's provider: holds a bed until `holdExpiresAt`. */
export const handler = routeHandler('accept-referral', { params: IdParams }, async (req) =>
  ok(await acceptReferral(req.params.id, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
