import type { Actor } from '../auth/actor';
import type { ProviderPacket, ReferralYouthDetails, ReferrerYouthView } from '../domain/referrals/packet';
import { providerPacket, referrerYouthView } from '../domain/referrals/packet';
import type { Referral } from '../domain/referrals/referral';
import { effectiveHistory, effectiveStatus, isEscalated } from '../domain/referrals/referral';
import type { HistoryStep, ReferralStatus } from '../domain/referrals/state-machine';

/**
 * A referral as any caller who may see it reads it (API.md named fields), at `now`: a deadline
 * that passed shows as `expired` even before the expiry job has run. No youth details here: lists
 * and transition answers carry none, so only `GET /referrals/{id}` (audited) reveals them.
 */
export interface ReferralView {
  id: string;
  status: ReferralStatus;
  placementId: string;
  placementName: string;
  providerId: string;
  /** The referring agency (null when a coordinator referred). */
  agencyId: string | null;
  holdExpiresAt: string | null;
  respondBy: string;
  /** Still unanswered past the escalation time: the coordinator should chase it. */
  escalated: boolean;
  escalatedAt: string | null;
  decline: Referral['decline'];
  withdrawReason: Referral['withdrawReason'];
  expireReason: Referral['expireReason'];
  matchId: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  history: HistoryStep[];
  version: number;
}

export function referralView(r: Referral, now: Date): ReferralView {
  const status = effectiveStatus(r, now);
  const history = effectiveHistory(r, now);
  const lapsed = status === 'expired' && r.status !== 'expired';
  return {
    id: r.id,
    status,
    placementId: r.placementId,
    placementName: r.placementName,
    providerId: r.providerId,
    agencyId: r.agencyId,
    holdExpiresAt: r.holdExpiresAt,
    respondBy: r.respondBy,
    escalated: isEscalated(r, now),
    escalatedAt: r.escalatedAt,
    decline: r.decline,
    withdrawReason: r.withdrawReason,
    expireReason: lapsed ? history[history.length - 1]!.reason as Referral['expireReason'] : r.expireReason,
    matchId: r.matchId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: lapsed ? history[history.length - 1]!.at : r.closedAt,
    history,
    version: r.version,
  };
}

/** `GET /referrals/{id}`: the referral with the youth's details as this caller may read them. */
export interface ReferralDetailView extends ReferralView {
  /** Provider staff and admins: the minimum-necessary packet; the referring side: what they sent. Null once purged. */
  youth: ProviderPacket | ReferrerYouthView | null;
  youthPurged: boolean;
}

/**
 * Which youth view a caller gets. Admins get the provider packet too: they run the system, they
 * do not place youth, so the minimum necessary is the same.
 */
export function youthViewFor(actor: Actor, details: ReferralYouthDetails): ProviderPacket | ReferrerYouthView {
  return actor.role === 'caseworker' || actor.role === 'coordinator' ? referrerYouthView(details) : providerPacket(details);
}
