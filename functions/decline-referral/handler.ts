import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { declineReferral } from '../../shared/referrals/close';
import { DeclineReferralBody } from '../../shared/referrals/schemas';
import { IdParams } from '../../shared/schemas/params';

/** Staff of the placement's provider: `{"reason":"<code>","note":"…"}`. */
export const handler = routeHandler('decline-referral', { body: DeclineReferralBody, params: IdParams }, async (req) =>
  ok(await declineReferral(req.params.id, req.body, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
