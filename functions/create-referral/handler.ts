import { routeHandler } from '../../shared/http/route-handler';
import { created } from '../../shared/http/responses';
import { parseOrThrow } from '../../shared/http/validation';
import { createReferral } from '../../shared/referrals/create';
import { CreateReferralBody } from '../../shared/referrals/create-schema';
import { IdempotencyKey } from '../../shared/referrals/schemas';

/**
 * Caseworkers and coordinators (route gate). `Idempotency-Key` is required; a repeat with the
 * same body answers with the first referral (and `Idempotent-Replayed: true`).
 */
export const handler = routeHandler('create-referral', { body: CreateReferralBody }, async (req) => {
  const key = parseOrThrow(IdempotencyKey, req.headers['idempotency-key'], 'Idempotency-Key header', ['Idempotency-Key']);
  const { referral, replayed } = await createReferral(req.body, key, { actor: req.actor, requestId: req.requestId, now: new Date() });
  return created(referral, { location: `/referrals/${referral.id}`, 'idempotent-replayed': String(replayed) });
});
