import type { Role } from '../../auth/roles';
import type { Policy } from '../policy';
import type { DeclineReason, DeclineSide, ExpireReason, WithdrawReason } from './reasons';
import type { HistoryStep, ReferralStatus } from './state-machine';

/**
 * A referral as stored, without the youth's details (those live apart, in a record purged after
 * the retention window, so what remains here is a de-identified outcome: which placement, what
 * happened, when, and why).
 */
export interface Referral {
  id: string;
  status: ReferralStatus;
  placementId: string;
  /** The placement's name when the referral was made, for lists. */
  placementName: string;
  /** The provider that owns the placement: its staff answer the referral. */
  providerId: string;
  /** Coordinators see referrals to placements in their states… */
  placementState: string;
  /** …and referrals of youth in custody of their states. */
  youthState: string;
  /** The referring caseworker's agency; null when a coordinator made the referral. */
  agencyId: string | null;
  /**
   * Who on the referring side owns the referral: the caseworker's agency, or for a coordinator
   * `coordinator:<states>`. A youth's referrals are "the same youth" within one scope.
   */
  referrerScope: string;
  createdBy: string;
  createdByRole: Role;
  createdAt: string;
  updatedAt: string;
  /** A requested referral not answered by then expires. */
  respondBy: string;
  /** A requested referral not answered by then is flagged for the coordinator. */
  escalateAt: string;
  escalated: boolean;
  escalatedAt: string | null;
  /** Set while accepted: the bed is held until then. */
  holdExpiresAt: string | null;
  closedAt: string | null;
  decline: { reason: DeclineReason; side: DeclineSide } | null;
  withdrawReason: WithdrawReason | null;
  expireReason: ExpireReason | null;
  matchId: string | null;
  /** The match score for this placement when the referral came from a match (kept for reports). */
  matchScore: number | null;
  policyVersion: number;
  history: HistoryStep[];
  version: number;
}

export type ReferralPolicy = Policy['referrals'];

/** What a new referral is made from: the placement, the referring side, the policy in force. */
export interface NewReferralInput {
  id: string;
  at: string;
  placement: { id: string; name: string; providerId: string; state: string };
  youthState: string;
  referrer: { sub: string; role: Role; agencyId: string | null; scope: string };
  match: { matchId: string; score: number } | null;
  policy: { version: number; referrals: ReferralPolicy };
}

/** A referral just requested: its deadlines from the policy, its first history step. */
export function newReferral(input: NewReferralInput): Referral {
  const { at, placement, referrer } = input;
  return {
    id: input.id,
    status: 'requested',
    placementId: placement.id,
    placementName: placement.name,
    providerId: placement.providerId,
    placementState: placement.state,
    youthState: input.youthState,
    agencyId: referrer.agencyId,
    referrerScope: referrer.scope,
    createdBy: referrer.sub,
    createdByRole: referrer.role,
    createdAt: at,
    updatedAt: at,
    ...requestDeadlines(at, input.policy.referrals),
    escalated: false,
    escalatedAt: null,
    holdExpiresAt: null,
    closedAt: null,
    decline: null,
    withdrawReason: null,
    expireReason: null,
    matchId: input.match?.matchId ?? null,
    matchScore: input.match?.score ?? null,
    policyVersion: input.policy.version,
    history: [{ status: 'requested', at, by: referrer.sub, reason: null }],
    version: 1,
  };
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

function plusMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE_MS).toISOString();
}

/** When a new referral must be answered, and when it is escalated if not. */
export function requestDeadlines(createdAt: string, policy: ReferralPolicy): { respondBy: string; escalateAt: string } {
  return {
    respondBy: plusMinutes(createdAt, policy.responseWindowMinutes),
    escalateAt: plusMinutes(createdAt, policy.escalationMinutes),
  };
}

/** How long an acceptance holds the bed. */
export function holdExpiry(acceptedAt: string, policy: ReferralPolicy): string {
  return plusMinutes(acceptedAt, policy.holdWindowMinutes);
}

/** Epoch seconds at which a closed referral's youth details are purged (DynamoDB TTL). */
export function youthPurgeAt(closedAt: string, policy: ReferralPolicy): number {
  return Math.floor((Date.parse(closedAt) + policy.youthRetentionDays * DAY_MS) / 1000);
}

/**
 * The status a reader should see at `now`. A requested referral past `respondBy`, or an accepted
 * one past `holdExpiresAt`, is `expired` even before the expiry job writes it, just as a lapsed
 * hold is never counted as held: no read or decision may lag the scheduler.
 */
export function effectiveStatus(r: Pick<Referral, 'status' | 'respondBy' | 'holdExpiresAt'>, now: Date): ReferralStatus {
  const t = now.toISOString();
  if (r.status === 'requested' && r.respondBy <= t) return 'expired';
  if (r.status === 'accepted' && r.holdExpiresAt !== null && r.holdExpiresAt <= t) return 'expired';
  return r.status;
}

/** Why a referral whose deadline has passed is expired, and at what moment it expired. */
export function lapse(r: Pick<Referral, 'status' | 'respondBy' | 'holdExpiresAt'>): { reason: ExpireReason; at: string } {
  return r.status === 'accepted' && r.holdExpiresAt !== null
    ? { reason: 'hold_lapsed', at: r.holdExpiresAt }
    : { reason: 'no_response', at: r.respondBy };
}

/** Flagged for the coordinator: still waiting for an answer past the escalation time. */
export function isEscalated(r: Pick<Referral, 'status' | 'respondBy' | 'holdExpiresAt' | 'escalated' | 'escalateAt'>, now: Date): boolean {
  if (effectiveStatus(r, now) !== 'requested') return false;
  return r.escalated || r.escalateAt <= now.toISOString();
}

/**
 * The next moment the expiry job has something to do for an open referral: escalate or expire a
 * requested one, lapse an accepted one's hold. Undefined once the referral is closed.
 */
export function nextDueAt(r: Pick<Referral, 'status' | 'respondBy' | 'escalateAt' | 'escalated' | 'holdExpiresAt'>): string | undefined {
  if (r.status === 'requested') return r.escalated || r.escalateAt >= r.respondBy ? r.respondBy : r.escalateAt;
  if (r.status === 'accepted') return r.holdExpiresAt ?? undefined;
  return undefined;
}

/**
 * When the expiry job should check that a placed referral's sibling sweep finished. The request
 * that placed the youth normally finishes it within a second; the grace keeps the job from
 * racing a request still in flight (harmless, since every withdrawal is conditional, but noisy).
 */
export const SIBLING_SWEEP_GRACE_MINUTES = 2;

export function siblingSweepDueAt(placedAt: string): string {
  return plusMinutes(placedAt, SIBLING_SWEEP_GRACE_MINUTES);
}

/** The history a reader sees: a deadline that passed before the job ran shows as its expiry step. */
export function effectiveHistory(r: Referral, now: Date): HistoryStep[] {
  if (effectiveStatus(r, now) !== 'expired' || r.status === 'expired') return r.history;
  const { reason, at } = lapse(r);
  return [...r.history, { status: 'expired', at, by: 'system', reason }];
}
