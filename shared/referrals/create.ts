import type { IdempotencyRecord } from '../data/idempotency';
import { IDEMPOTENCY_RETENTION_SECONDS, getIdempotencyRecord, idempotencyClaimPut } from '../data/idempotency';
import { getPlacement } from '../data/placements';
import { getProvider } from '../data/providers';
import { insertReferral } from '../data/referrals';
import { TransactionConditionFailed } from '../data/transact';
import { resolveYouth } from '../domain/matching/youth';
import { requestFingerprint, youthKeyOf } from '../domain/referrals/fingerprint';
import type { ReferralYouthDetails } from '../domain/referrals/packet';
import { newReferral } from '../domain/referrals/referral';
import { InvariantViolated, ValidationFailed } from '../errors';
import { publishAfterCommit } from '../events/publisher';
import { referralEvent } from '../events/referral-events';
import { currentPolicy } from '../matching/policy';
import { assertCanRefer, referrerScopeOf } from './access';
import type { ReferralRequestMeta } from './context';
import { loadVisibleReferral, referralAudit } from './context';
import { snapshotMatch } from './match-snapshot';
import { assertTakingYouth } from './taking-youth';
import type { CreateReferralBody } from './create-schema';
import type { ReferralView } from './views';
import { referralView } from './views';

export interface CreatedReferral {
  referral: ReferralView;
  /** True when the Idempotency-Key had been used with this body before: nothing new was created. */
  replayed: boolean;
}

/**
 * `POST /referrals`. Idempotent per caller and `Idempotency-Key`: the key is claimed by a
 * conditional Put in the same transaction that creates the referral, so of any number of
 * concurrent or repeated requests exactly one creates it and the others return it (or a 422 when
 * the same key comes with another body). See docs/referrals.md for why not Powertools.
 */
export async function createReferral(body: CreateReferralBody, idempotencyKey: string, meta: ReferralRequestMeta): Promise<CreatedReferral> {
  const { actor, now } = meta;
  const fingerprint = requestFingerprint(body);

  // A plain retry is answered from the record without touching the placement or the match.
  const earlier = await getIdempotencyRecord(actor.sub, idempotencyKey, now);
  if (earlier) return replay(earlier, fingerprint, meta);

  const placement = await getPlacement(body.placementId);
  if (!placement) throw new ValidationFailed(`Placement ${body.placementId} does not exist.`, [{ path: 'placementId', message: 'no such placement' }]);
  // Checked before anything is written, so a refusal claims no Idempotency-Key. A deactivation
  // landing just after this read leaves a requested referral, as one made a moment earlier would:
  // no bed is held until accept, and accept re-checks inside its transaction.
  assertTakingYouth(placement, await getProvider(placement.providerId, { consistent: true }), 'is not taking referrals');
  const youthState = resolveYouth(body.youth).state;
  assertCanRefer(actor, placement.location.state, youthState);
  const match = body.matchId ? await snapshotMatch(body.matchId, placement.id, actor, now) : null;
  const policy = await currentPolicy();

  const at = now.toISOString();
  const id = `ref-${crypto.randomUUID()}`;
  const referrerScope = referrerScopeOf(actor);
  const referral = newReferral({
    id,
    at,
    placement: { id: placement.id, name: placement.name, providerId: placement.providerId, state: placement.location.state },
    youthState,
    referrer: { sub: actor.sub, role: actor.role, agencyId: actor.role === 'caseworker' ? (actor.agencyId ?? null) : null, scope: referrerScope },
    match: match && body.matchId ? { matchId: body.matchId, score: match.score } : null,
    policy,
  });
  const details: ReferralYouthDetails = { youth: body.youth, note: body.note ?? null, match, declineNote: null, withdrawNote: null };
  const claim: IdempotencyRecord = {
    caller: actor.sub,
    fingerprint,
    resourceType: 'referral',
    resourceId: id,
    createdAt: at,
    ttl: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_RETENTION_SECONDS,
  };
  // The audit names what was referred where, never the youth's details.
  const audit = referralAudit(meta, 'referral.create', id, {
    status: { before: null, after: 'requested' },
    placementId: { before: null, after: placement.id },
    matchId: { before: null, after: referral.matchId },
  });

  try {
    await insertReferral({
      referral,
      details,
      youthKey: youthKeyOf(referrerScope, body.youth.caseRef!),
      claim: idempotencyClaimPut(idempotencyKey, claim, now),
      audit,
    });
  } catch (error) {
    // Index 0 is the key's claim: a concurrent request with the same key committed first.
    if (error instanceof TransactionConditionFailed && error.indexes.includes(0)) {
      const winner = await getIdempotencyRecord(actor.sub, idempotencyKey, now);
      if (winner) return replay(winner, fingerprint, meta);
    }
    throw error;
  }
  await publishAfterCommit([referralEvent('referral.requested', referral, at)]);
  return { referral: referralView(referral, now), replayed: false };
}

async function replay(record: IdempotencyRecord, fingerprint: string, meta: ReferralRequestMeta): Promise<CreatedReferral> {
  if (record.fingerprint !== fingerprint) {
    throw new InvariantViolated(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body; use a new key for a new referral.',
      [{ path: 'Idempotency-Key', message: 'already used with a different body' }],
    );
  }
  const referral = await loadVisibleReferral(record.resourceId, meta.actor, { consistent: true });
  return { referral: referralView(referral, meta.now), replayed: true };
}
