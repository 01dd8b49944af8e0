import { Conflict } from '../../errors';

/**
 * The referral life cycle of DESIGN.md §5, as data:
 *
 *   requested → accepted (a bed is held until holdExpiresAt) → placed (onHold−1, occupied+1)
 *   requested → declined | withdrawn | expired
 *   accepted  → withdrawn | expired (the hold lapses and the bed returns)
 *
 * Pure: no clock, no storage. The data layer enforces the same rule again with a condition on
 * the stored status, so a concurrent transition can never slip past this check.
 */
export const REFERRAL_STATUSES = ['requested', 'accepted', 'declined', 'withdrawn', 'expired', 'placed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Statuses in which a referral still waits for someone; the others are final. */
export const OPEN_STATUSES = ['requested', 'accepted'] as const satisfies readonly ReferralStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export type ReferralAction = 'accept' | 'decline' | 'withdraw' | 'expire' | 'place';

/** Every allowed transition: the statuses an action may start from and the one it leads to. */
export const TRANSITIONS: Readonly<Record<ReferralAction, { from: readonly OpenStatus[]; to: ReferralStatus }>> = {
  accept: { from: ['requested'], to: 'accepted' },
  decline: { from: ['requested'], to: 'declined' },
  withdraw: { from: ['requested', 'accepted'], to: 'withdrawn' },
  expire: { from: ['requested', 'accepted'], to: 'expired' },
  place: { from: ['accepted'], to: 'placed' },
};

/** One step of a referral's `history` (API.md): the status reached, when, by whom, and why. */
export interface HistoryStep {
  status: ReferralStatus;
  at: string;
  /** The actor's `sub`, or `system` for the expiry job and sibling withdrawals. */
  by: string;
  /** A reason code (decline, withdraw, expire) or null. */
  reason: string | null;
}

export function isOpen(status: ReferralStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

const VERB: Record<ReferralAction, string> = {
  accept: 'accepted',
  decline: 'declined',
  withdraw: 'withdrawn',
  expire: 'expired',
  place: 'placed',
};

/**
 * A transition the state machine does not allow. A 409 whose code names the referral's current
 * status (`referral_declined`, `referral_expired`, …) so clients can switch on it.
 */
export class TransitionRefused extends Conflict {
  constructor(
    readonly referralId: string,
    readonly current: ReferralStatus,
    readonly action: ReferralAction,
  ) {
    const allowed = TRANSITIONS[action].from.join(' or ');
    super(
      `referral_${current}`,
      `Referral ${referralId} is ${current}: it cannot be ${VERB[action]} (only a ${allowed} referral can).`,
    );
  }
}

/** Whether `action` is allowed from `status`. */
export function canTransition(status: ReferralStatus, action: ReferralAction): boolean {
  return (TRANSITIONS[action].from as readonly string[]).includes(status);
}

/**
 * The next status and the history after `action`, or a TransitionRefused naming the current
 * status. `status` must already be the effective status (see `effectiveStatus`), so a referral
 * whose deadline passed is refused as `expired` even before the expiry job has run.
 */
export function transition(
  referral: { id: string; status: ReferralStatus; history: readonly HistoryStep[] },
  action: ReferralAction,
  step: { at: string; by: string; reason?: string | null },
): { from: OpenStatus; to: ReferralStatus; step: HistoryStep; history: HistoryStep[] } {
  if (!canTransition(referral.status, action)) throw new TransitionRefused(referral.id, referral.status, action);
  const to = TRANSITIONS[action].to;
  const historyStep: HistoryStep = { status: to, at: step.at, by: step.by, reason: step.reason ?? null };
  return { from: referral.status as OpenStatus, to, step: historyStep, history: [...referral.history, historyStep] };
}
