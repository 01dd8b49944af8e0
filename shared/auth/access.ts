import { Forbidden } from '../errors';
import type { Actor } from './actor';

/**
 * Object-level authorisation: who may touch which provider's data. Route-level role gates run
 * before a handler (shared/routes.ts); these run inside it, on the object actually loaded.
 */

/** Provider staff acting on their own provider's objects. */
export function isOwnStaff(actor: Actor, providerId: string): boolean {
  return actor.role === 'provider' && actor.providerId === providerId;
}

/** Create or change a provider's programs, services, counts: admins and the provider's own staff. */
export function assertCanManage(actor: Actor, providerId: string): void {
  if (actor.role === 'admin' || isOwnStaff(actor, providerId)) return;
  throw new Forbidden(`Only an admin or staff of provider ${providerId} may change its records.`);
}

/** Read a provider's record: admins and coordinators, and the provider's own staff. */
export function assertCanReadProvider(actor: Actor, providerId: string): void {
  if (actor.role === 'admin' || actor.role === 'coordinator' || isOwnStaff(actor, providerId)) return;
  throw new Forbidden(`You may read only your own provider's record.`);
}

/** A safe house's street address and coordinates: admins, coordinators and the owning provider's staff. */
export function canSeeConfidentialLocation(actor: Actor, providerId: string): boolean {
  return actor.role === 'admin' || actor.role === 'coordinator' || isOwnStaff(actor, providerId);
}

/**
 * Live bed counts are shown to the people who place youth (admins, coordinators, caseworkers)
 * and to the owning provider, never to another provider's staff.
 */
export function canSeeCapacity(actor: Actor, providerId: string): boolean {
  return actor.role !== 'provider' || isOwnStaff(actor, providerId);
}

/** Capacity history: admins, coordinators for placements in their jurisdiction, the owning staff. */
export function assertCanReadCapacityHistory(actor: Actor, placement: { providerId: string; location: { state: string } }): void {
  if (actor.role === 'admin' || isOwnStaff(actor, placement.providerId)) return;
  if (actor.role === 'coordinator' && actor.jurisdiction.includes(placement.location.state)) return;
  throw new Forbidden('You may read the capacity history of placements you own or oversee.');
}
