import type { Referral } from '../domain/referrals/referral';
import type { DomainEvent } from './publisher';

export const REFERRAL_EVENT_SOURCE = 'harbor.referrals';

/** What happened to a referral; one event per transition (and one when it is escalated). */
export type ReferralEventType =
  | 'referral.requested'
  | 'referral.accepted'
  | 'referral.declined'
  | 'referral.withdrawn'
  | 'referral.expired'
  | 'referral.placed'
  | 'referral.escalated';

/**
 * Who should hear of it: providers of new referrals (and of withdrawals and expiries of theirs),
 * the referring side of every answer, coordinators of escalations. Subscribers route on this.
 */
const AUDIENCE: Record<ReferralEventType, readonly ('provider' | 'referrer' | 'coordinator')[]> = {
  'referral.requested': ['provider'],
  'referral.accepted': ['referrer'],
  'referral.declined': ['referrer'],
  'referral.withdrawn': ['provider'],
  'referral.expired': ['provider', 'referrer'],
  'referral.placed': ['referrer'],
  'referral.escalated': ['coordinator'],
};

/**
 * The event for a referral's transition. Identifiers and codes only — no youth details, no
 * notes: subscribers fetch the referral (an audited read) if they need more.
 */
export function referralEvent(type: ReferralEventType, r: Referral, at: string, reason: string | null = null): DomainEvent {
  return {
    source: REFERRAL_EVENT_SOURCE,
    type,
    at,
    detail: {
      referralId: r.id,
      status: r.status,
      reason,
      placementId: r.placementId,
      providerId: r.providerId,
      agencyId: r.agencyId,
      referrerScope: r.referrerScope,
      states: [...new Set([r.placementState, r.youthState])],
      holdExpiresAt: r.holdExpiresAt,
      notify: AUDIENCE[type],
    },
  };
}
