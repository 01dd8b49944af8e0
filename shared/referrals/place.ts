import type { CapacityHistoryEntry } from '../data/placements';
import { getPlacement } from '../data/placements';
import type { ReferralChange } from '../data/referrals';
import { occupyHeldBed } from '../data/referrals';
import { TransactionConditionFailed } from '../data/transact';
import type { Referral } from '../domain/referrals/referral';
import { effectiveStatus, youthPurgeAt } from '../domain/referrals/referral';
import { TransitionRefused, transition } from '../domain/referrals/state-machine';
import { Conflict, ServiceUnavailable } from '../errors';
import { publishAfterCommit } from '../events/publisher';
import { referralEvent } from '../events/referral-events';
import { currentPolicy } from '../matching/policy';
import { assertCanAnswer } from './access';
import type { ReferralRequestMeta } from './context';
import { MAX_TRANSITION_ATTEMPTS, loadVisibleReferral, referralAudit } from './context';
import { withdrawOpenSiblings } from './siblings';
import type { ReferralView } from './views';
import { referralView } from './views';

/**
 * `POST /referrals/{id}/place`: the youth arrived. In one transaction the hold becomes an
 * occupied bed (`occupied + 1`, the hold removed, the capacity version bumped and a history entry
 * written, as for any change of the count), the referral moves accepted → placed, and the youth's
 * details start their retention clock. Then the youth's other open referrals are withdrawn and
 * their holds released; if this process dies before that finishes, the placed referral is still
 * in the expiry job's work list and the job finishes it.
 */
export async function placeReferral(id: string, meta: ReferralRequestMeta): Promise<ReferralView> {
  const { actor, now } = meta;
  const at = now.toISOString();
  // Read alongside the referral; needed only once the transition is known to be allowed.
  const policyRead = currentPolicy();
  void policyRead.catch(() => undefined); // awaited below; a failure surfaces there
  for (let attempt = 1; attempt <= MAX_TRANSITION_ATTEMPTS; attempt++) {
    const referral = await loadVisibleReferral(id, actor, { consistent: true });
    assertCanAnswer(actor, referral);
    const t = transition({ ...referral, status: effectiveStatus(referral, now) }, 'place', { at, by: actor.sub });

    const placement = await getPlacement(referral.placementId, { consistent: true });
    if (!placement) throw new Conflict('placement_missing', `Placement ${referral.placementId} no longer exists.`);
    const hold = placement.capacity.holds[id];
    // The referral is accepted and unexpired, so its hold must be there; if it is not, the data
    // are inconsistent and nobody should be placed on a bed we cannot account for.
    if (hold === undefined || hold <= at) throw new TransitionRefused(id, 'expired', 'place');
    const { total, occupied, version } = placement.capacity;

    const after: Referral = { ...referral, status: t.to, history: t.history, closedAt: at, updatedAt: at, version: referral.version + 1 };
    const change: ReferralChange = { before: referral, from: t.from, step: t.step, after, timing: 'answer', now: at };
    const history: CapacityHistoryEntry = {
      placementId: placement.id,
      action: 'admit',
      at,
      by: actor.sub,
      role: actor.role,
      version: version + 1,
      before: { total, occupied },
      after: { total, occupied: occupied + 1 },
      requestId: meta.requestId,
    };
    const audit = referralAudit(meta, 'referral.place', id, {
      status: { before: referral.status, after: after.status },
      [`placement.${placement.id}.occupied`]: { before: occupied, after: occupied + 1 },
      [`placement.${placement.id}.capacityVersion`]: { before: version, after: version + 1 },
    });
    try {
      await occupyHeldBed({ change, capacity: { expectedVersion: version, total, occupied, at, by: actor.sub }, history, youthPurgeAt: youthPurgeAt(at, (await policyRead).referrals), audit });
    } catch (error) {
      if (error instanceof TransactionConditionFailed) continue;
      throw error;
    }
    await publishAfterCommit([referralEvent('referral.placed', after, at)]);
    await withdrawOpenSiblings(after, meta, { final: false });
    return referralView(after, now);
  }
  throw new ServiceUnavailable('The placement is changing too fast to record the admission safely; nothing was written. Try again.', 1);
}
