import type { ReferralChange } from '../data/referrals';
import { closeReferral } from '../data/referrals';
import { TransactionConditionFailed } from '../data/transact';
import type { DeclineReason, WithdrawReason } from '../domain/referrals/reasons';
import { declineSide } from '../domain/referrals/reasons';
import type { Referral } from '../domain/referrals/referral';
import { effectiveStatus, lapse, youthPurgeAt } from '../domain/referrals/referral';
import type { ReferralAction } from '../domain/referrals/state-machine';
import { transition } from '../domain/referrals/state-machine';
import { ServiceUnavailable } from '../errors';
import { publishAfterCommit } from '../events/publisher';
import type { ReferralEventType } from '../events/referral-events';
import { referralEvent } from '../events/referral-events';
import { currentPolicy } from '../matching/policy';
import { assertCanAnswer, assertCanWithdraw } from './access';
import type { ReferralRequestMeta } from './context';
import { MAX_TRANSITION_ATTEMPTS, loadVisibleReferral, referralAudit } from './context';
import type { ReferralView } from './views';
import { referralView } from './views';

/** How one closing action is carried out; decline, withdraw and expire differ only in these. */
interface Closing {
  action: Extract<ReferralAction, 'decline' | 'withdraw' | 'expire'>;
  event: ReferralEventType;
  authorize(referral: Referral): void;
  /** The reason code and the history step's time (an expiry is dated at its deadline). */
  step(referral: Referral, at: string): { reason: string; at: string };
  fields(referral: Referral, reason: string): Partial<Referral>;
  notes?: { declineNote?: string; withdrawNote?: string };
}

/**
 * Closes an open referral: status, history, the hold released if it had one, the youth's details
 * set to be purged after the retention window, and the audit record — one transaction. A failed
 * condition means the referral moved meanwhile: read again and decide (409 naming its status).
 */
async function close(id: string, closing: Closing, meta: ReferralRequestMeta): Promise<Referral> {
  const { actor, now } = meta;
  const at = now.toISOString();
  // Read alongside the referral; needed only once the transition is known to be allowed.
  const policyRead = currentPolicy();
  void policyRead.catch(() => undefined); // awaited below; a failure surfaces there
  for (let attempt = 1; attempt <= MAX_TRANSITION_ATTEMPTS; attempt++) {
    const referral = await loadVisibleReferral(id, actor, { consistent: true });
    closing.authorize(referral);
    const expiring = closing.action === 'expire';
    // An expiry applies to a referral whose deadline has passed (effective status `expired`);
    // any other closing needs one still open before its deadline.
    const effective = effectiveStatus(referral, now);
    if (expiring && effective !== 'expired') throw new TransitionNotDue(id);
    const step = closing.step(referral, at);
    const t = transition({ ...referral, status: expiring ? referral.status : effective }, closing.action, { at: step.at, by: actor.sub, reason: step.reason });
    const after: Referral = {
      ...referral,
      ...closing.fields(referral, step.reason),
      status: t.to,
      history: t.history,
      closedAt: step.at,
      updatedAt: at,
      version: referral.version + 1,
    };
    const change: ReferralChange = { before: referral, from: t.from, step: t.step, after, timing: expiring ? 'lapse' : 'answer', now: at };
    const audit = referralAudit(meta, `referral.${closing.action}`, id, {
      status: { before: referral.status, after: after.status },
      reason: { before: null, after: step.reason },
      ...(t.from === 'accepted' ? { [`placement.${referral.placementId}.holds`]: { before: 'held', after: 'released' } } : {}),
    });
    try {
      await closeReferral({ change, youthPurgeAt: youthPurgeAt(at, (await policyRead).referrals), ...(closing.notes ? { notes: closing.notes } : {}), audit });
    } catch (error) {
      if (error instanceof TransactionConditionFailed) continue;
      throw error;
    }
    await publishAfterCommit([referralEvent(closing.event, after, at, step.reason)]);
    return after;
  }
  throw new ServiceUnavailable('The referral is changing too fast to close safely; nothing was written. Try again.', 1);
}

/** The expiry job found a referral whose deadline has not passed after all (it was re-read). */
export class TransitionNotDue extends Error {
  constructor(readonly referralId: string) {
    super(`Referral ${referralId} is not due to expire.`);
    this.name = 'TransitionNotDue';
  }
}

/** `POST /referrals/{id}/decline`: the placement's provider says no, with a reason code and a note. */
export async function declineReferral(id: string, body: { reason: DeclineReason; note?: string }, meta: ReferralRequestMeta): Promise<ReferralView> {
  const after = await close(
    id,
    {
      action: 'decline',
      event: 'referral.declined',
      authorize: (r) => assertCanAnswer(meta.actor, r),
      step: (_r, at) => ({ reason: body.reason, at }),
      fields: () => ({ decline: { reason: body.reason, side: declineSide(body.reason) } }),
      ...(body.note ? { notes: { declineNote: body.note } } : {}),
    },
    meta,
  );
  return referralView(after, meta.now);
}

/** `POST /referrals/{id}/withdraw`: the referring side calls it off; any hold is released. */
export async function withdrawReferral(id: string, body: { reason: WithdrawReason; note?: string }, meta: ReferralRequestMeta): Promise<ReferralView> {
  const after = await close(
    id,
    {
      action: 'withdraw',
      event: 'referral.withdrawn',
      authorize: (r) => assertCanWithdraw(meta.actor, r),
      step: (_r, at) => ({ reason: body.reason, at }),
      fields: () => ({ withdrawReason: body.reason }),
      ...(body.note ? { notes: { withdrawNote: body.note } } : {}),
    },
    meta,
  );
  return referralView(after, meta.now);
}

/**
 * The system withdraws a referral because another referral of the same youth was placed. The
 * caller is the system actor; no object check applies.
 */
export async function withdrawAsPlacedElsewhere(id: string, meta: ReferralRequestMeta): Promise<Referral> {
  return close(
    id,
    {
      action: 'withdraw',
      event: 'referral.withdrawn',
      authorize: () => undefined,
      step: (_r, at) => ({ reason: 'placed_elsewhere', at }),
      fields: () => ({ withdrawReason: 'placed_elsewhere' }),
    },
    meta,
  );
}

/** The expiry job: the referral's deadline passed (no answer in time, or the hold lapsed). */
export async function expireReferral(id: string, meta: ReferralRequestMeta): Promise<Referral> {
  return close(
    id,
    {
      action: 'expire',
      event: 'referral.expired',
      authorize: () => undefined,
      step: (r) => lapse(r),
      fields: (_r, reason) => ({ expireReason: reason as Referral['expireReason'] }),
    },
    meta,
  );
}
