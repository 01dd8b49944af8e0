import type { Actor } from '../auth/actor';
import type { AuditEntry } from '../data/audit';
import { newAuditEntry } from '../data/audit';
import { getReferral } from '../data/referrals';
import type { Referral } from '../domain/referrals/referral';
import { NotFound } from '../errors';
import { canSeeReferral } from './access';

/** Who asks, the request id every audit record carries, and the one clock of the request. */
export interface ReferralRequestMeta {
  actor: Actor;
  requestId: string;
  now: Date;
}

/**
 * The scheduler and the sibling sweep act as `system`. Audited with role `system`, so the trail
 * never shows a person (or an admin) for what the job did.
 */
export const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'admin', jurisdiction: [] };

export function isSystem(actor: Actor): boolean {
  return actor === SYSTEM_ACTOR;
}

/** The audit record of a referral change (or an audited read). */
export function referralAudit(
  meta: ReferralRequestMeta,
  action: string,
  referralId: string,
  changes: AuditEntry['changes'],
  at: string = meta.now.toISOString(),
): AuditEntry {
  const entry = newAuditEntry({ actor: meta.actor, action, targetType: 'referral', targetId: referralId, changes, requestId: meta.requestId, at });
  return isSystem(meta.actor) ? { ...entry, role: 'system' } : entry;
}

/** The referral if it exists and the caller may see it; otherwise a 404 (never a 403 that confirms it exists). */
export async function loadVisibleReferral(id: string, actor: Actor, options: { consistent?: boolean } = {}): Promise<Referral> {
  const referral = await getReferral(id, options);
  if (!referral || (!isSystem(actor) && !canSeeReferral(actor, referral))) throw new NotFound('Referral', id);
  return referral;
}

/** Attempts per transition: each failed condition means someone else moved first; we re-read and decide. */
export const MAX_TRANSITION_ATTEMPTS = 5;
