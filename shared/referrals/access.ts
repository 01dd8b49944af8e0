import type { Actor } from '../auth/actor';
import type { Referral } from '../domain/referrals/referral';
import { Forbidden } from '../errors';

/**
 * Who may see and act on which referral (DESIGN.md §6, API.md). Route gates (shared/routes.ts)
 * have already checked the role; these check the object. A referral the caller may not see is
 * answered with 404, as if it did not exist, so ids cannot be probed.
 */

/** The referring side a caller speaks for: their agency, or a coordinator's states. */
export function referrerScopeOf(actor: Actor): string {
  if (actor.role === 'caseworker' && actor.agencyId) return `agency:${actor.agencyId}`;
  return `coordinator:${[...actor.jurisdiction].sort().join(',')}`;
}

/**
 * Admins: all. Provider staff: referrals to their provider's placements. Caseworkers: their
 * agency's. Coordinators: referrals to placements in, or of youth from, their states.
 */
export function canSeeReferral(actor: Actor, r: Pick<Referral, 'providerId' | 'agencyId' | 'placementState' | 'youthState'>): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'provider':
      return actor.providerId !== undefined && r.providerId === actor.providerId;
    case 'caseworker':
      return actor.agencyId !== undefined && r.agencyId === actor.agencyId;
    case 'coordinator':
      return actor.jurisdiction.includes(r.placementState) || actor.jurisdiction.includes(r.youthState);
  }
}

/** Accept, decline, place: the staff of the provider that owns the placement, nobody else. */
export function assertCanAnswer(actor: Actor, r: Pick<Referral, 'providerId'>): void {
  if (actor.role === 'provider' && actor.providerId === r.providerId) return;
  throw new Forbidden('Only staff of the placement\'s provider may answer this referral.');
}

/** Withdraw: the referring agency's caseworkers, and coordinators overseeing the referral. */
export function assertCanWithdraw(actor: Actor, r: Pick<Referral, 'providerId' | 'agencyId' | 'placementState' | 'youthState'>): void {
  if ((actor.role === 'caseworker' || actor.role === 'coordinator') && canSeeReferral(actor, r)) return;
  throw new Forbidden('Only the referring agency\'s caseworkers or a coordinator overseeing it may withdraw this referral.');
}

/**
 * A coordinator may refer only within their jurisdiction (the placement's or the youth's state),
 * so they never create a referral they could not then see.
 */
export function assertCanRefer(actor: Actor, placementState: string, youthState: string): void {
  if (actor.role !== 'coordinator') return;
  if (actor.jurisdiction.includes(placementState) || actor.jurisdiction.includes(youthState)) return;
  throw new Forbidden(`Coordinators may refer only within their jurisdiction (${actor.jurisdiction.join(', ')}).`);
}
