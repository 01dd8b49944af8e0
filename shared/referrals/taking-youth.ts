import { inactiveBecause } from '../domain/placement-status';
import { Conflict } from '../errors';
import type { Placement, Provider } from '../schemas/directory';

/**
 * Refuses a referral to, or a bed held at, a placement that is not taking youth: inactive itself,
 * or its provider inactive. Both are a 409 `placement_inactive`, the code clients already handle,
 * because to a caseworker the placement is inactive either way (matching excludes both with the
 * one rule `inactive`); the message names which it is, so they know whom to ask.
 *
 * `refused` completes "Placement <id> …": what the caller was refused.
 */
export function assertTakingYouth(
  placement: Pick<Placement, 'id' | 'active' | 'providerId'>,
  provider: Pick<Provider, 'active'> | undefined,
  refused: string,
): void {
  const because = inactiveBecause(placement, provider);
  if (!because) return;
  const why = because === 'provider' ? `its provider ${placement.providerId} is inactive` : 'it is inactive';
  throw new Conflict('placement_inactive', `Placement ${placement.id} ${refused}: ${why}.`);
}
