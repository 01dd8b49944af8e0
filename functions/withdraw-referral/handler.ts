import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { withdrawReferral } from '../../shared/referrals/close';
import { WithdrawReferralBody } from '../../shared/referrals/schemas';
import { IdParams } from '../../shared/schemas/params';

/** The referring agency's caseworkers, or a coordinator overseeing it: `{"reason":"<code>"}`; releases any hold. */
export const handler = routeHandler('withdraw-referral', { body: WithdrawReferralBody, params: IdParams }, async (req) =>
  ok(await withdrawReferral(req.params.id, req.body, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
