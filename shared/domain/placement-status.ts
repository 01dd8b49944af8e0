import type { Placement, Provider } from '../schemas/directory';

/**
 * Whether a placement is taking youth now. A provider that is made inactive takes its programs
 * with it: each placement keeps its own `active` flag (so reactivating the provider brings back
 * exactly the programs that were active before), but nobody may be offered, referred to or held a
 * bed at any of them meanwhile. Matching (its candidates are then excluded with the rule
 * `inactive`, and the services it reads for wraparound are never named), the bed search and the
 * stale-count list apply `withProviderStatus`; a placement's own page does for those who do not
 * edit it (shared/directory/placements.ts); referrals apply `inactiveBecause`.
 */

/** Why a placement is not taking youth: its own flag, or its provider's. */
export type InactiveBecause = 'placement' | 'provider';

/**
 * Why `placement` is not taking youth, or undefined when it is. `provider` is the placement's
 * provider as read, if it was found: a provider item that does not exist has not been made
 * inactive, so it does not stop the placement (the placement item alone decides then).
 */
export function inactiveBecause(placement: Pick<Placement, 'active'>, provider: Pick<Provider, 'active'> | undefined): InactiveBecause | undefined {
  if (!placement.active) return 'placement';
  if (provider?.active === false) return 'provider';
  return undefined;
}

/**
 * The placement as a seeker must see it: inactive when its provider is among `inactiveProviders`,
 * whatever its own flag says.
 */
export function withProviderStatus<P extends Pick<Placement, 'active' | 'providerId'>>(placement: P, inactiveProviders: ReadonlySet<string>): P {
  return placement.active && inactiveProviders.has(placement.providerId) ? { ...placement, active: false } : placement;
}
