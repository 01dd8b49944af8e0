import { getPlacement } from '../data/placements';
import { getProvider } from '../data/providers';
import type { ReferralChange } from '../data/referrals';
import { holdBed } from '../data/referrals';
import { TransactionConditionFailed } from '../data/transact';
import { activeHoldCount } from '../domain/capacity';
import type { Referral } from '../domain/referrals/referral';
import { effectiveStatus, holdExpiry } from '../domain/referrals/referral';
import { transition } from '../domain/referrals/state-machine';
import { Conflict, ServiceUnavailable } from '../errors';
import { publishAfterCommit } from '../events/publisher';
import { referralEvent } from '../events/referral-events';
import { currentPolicy } from '../matching/policy';
import { assertCanAnswer } from './access';
import { assertTakingYouth } from './taking-youth';
import type { ReferralRequestMeta } from './context';
import { MAX_TRANSITION_ATTEMPTS, loadVisibleReferral, referralAudit } from './context';
import type { ReferralView } from './views';
import { referralView } from './views';

/**
 * `POST /referrals/{id}/accept`: the provider takes the youth, and a bed is held for them until
 * `holdExpiresAt`.
 *
 * One transaction (shared/data/referrals.ts `holdBed`): the hold is added only while the
 * placement is active, its provider has not been made inactive, and it has a free bed at the
 * capacity version read; the referral moves only if it is still requested and unexpired, and the
 * audit record is written. When a condition fails, someone else moved first; we read again and
 * decide: the referral's new status (409 naming it), no bed left (409 `no_bed_available`), an
 * inactive placement or provider (409 `placement_inactive`), or — the count or the holds changed
 * under us without using the last bed — try again.
 */
export async function acceptReferral(id: string, meta: ReferralRequestMeta): Promise<ReferralView> {
  const { actor, now } = meta;
  const at = now.toISOString();
  // Read alongside the referral; needed only once the transition is known to be allowed.
  const policyRead = currentPolicy();
  void policyRead.catch(() => undefined); // awaited below; a failure surfaces there
  for (let attempt = 1; attempt <= MAX_TRANSITION_ATTEMPTS; attempt++) {
    const referral = await loadVisibleReferral(id, actor, { consistent: true });
    assertCanAnswer(actor, referral);
    const t = transition({ ...referral, status: effectiveStatus(referral, now) }, 'accept', { at, by: actor.sub });

    // The referral names its placement's provider (fixed at creation), so both read at once.
    const [placement, provider] = await Promise.all([
      getPlacement(referral.placementId, { consistent: true }),
      getProvider(referral.providerId, { consistent: true }),
    ]);
    if (!placement) throw new Conflict('placement_missing', `Placement ${referral.placementId} no longer exists.`);
    assertTakingYouth(placement, provider, 'cannot hold a bed');
    const { total, occupied, holds, version } = placement.capacity;
    const inForce = activeHoldCount(holds, now);
    if (occupied + inForce >= total) {
      throw new Conflict('no_bed_available', `Placement ${placement.id} has no bed free to hold (${total} total, ${occupied} occupied, ${inForce} on hold).`);
    }
    const lapsedHoldIds = Object.keys(holds).filter((rid) => holds[rid]! <= at);

    const after: Referral = { ...referral, status: t.to, history: t.history, holdExpiresAt: holdExpiry(at, (await policyRead).referrals), updatedAt: at, version: referral.version + 1 };
    const change: ReferralChange = { before: referral, from: t.from, step: t.step, after, timing: 'answer', now: at };
    const audit = referralAudit(meta, 'referral.accept', id, {
      status: { before: referral.status, after: after.status },
      holdExpiresAt: { before: null, after: after.holdExpiresAt },
      [`placement.${placement.id}.holds`]: { before: inForce, after: inForce + 1 },
    });
    try {
      await holdBed({ change, capacity: { expectedVersion: version, total, occupied, lapsedHoldIds }, audit });
    } catch (error) {
      if (error instanceof TransactionConditionFailed) continue;
      throw error;
    }
    await publishAfterCommit([referralEvent('referral.accepted', after, at)]);
    return referralView(after, now);
  }
  throw new ServiceUnavailable('The placement is changing too fast to hold a bed safely; nothing was written. Try again.', 1);
}
