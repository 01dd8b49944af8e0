import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { placeReferral } from '../../shared/referrals/place';
import { IdParams } from '../../shared/schemas/params';

/** Staff of the placement's provider: the youth arrived; the hold becomes an occupied bed. */
export const handler = routeHandler('place-referral', { params: IdParams }, async (req) =>
  ok(await placeReferral(req.params.id, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
