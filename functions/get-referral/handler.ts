import { routeHandler } from '../../shared/http/route-handler';
import { ok } from '../../shared/http/responses';
import { readReferral } from '../../shared/referrals/read';
import { IdParams } from '../../shared/schemas/params';

/** The referral with the youth's details as the caller may read them; the read is audited. */
export const handler = routeHandler('get-referral', { params: IdParams }, async (req) =>
  ok(await readReferral(req.params.id, { actor: req.actor, requestId: req.requestId, now: new Date() })),
);
