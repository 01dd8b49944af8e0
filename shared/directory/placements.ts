import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { assertCanManage, isOwnStaff } from '../auth/access';
import { capacityView, initialCapacity } from '../domain/capacity';
import { inactiveBecause, withProviderStatus } from '../domain/placement-status';
import { changedFields, newAuditEntry } from '../data/audit';
import type { Page } from '../data/cursor';
import { insertPlacement, placementFromItem, updatePlacementProfile } from '../data/placements';
import { getProvider, inactiveProviderIds } from '../data/providers';
import { TransactionConditionFailed } from '../data/transact';
import { Forbidden, ValidationFailed, VersionMismatch } from '../errors';
import type { CreatePlacementBody, Placement, UpdatePlacementBody } from '../schemas/directory';
import type { Gender, PlacementType, Specialization } from '../schemas/vocabulary';
import type { RequestMeta } from './load';
import { loadPlacement } from './load';
import { parseNear, resolveLocation } from './locations';
import type { SearchScope } from './search';
import { searchDirectory } from './search';
import type { PlacementView } from './views';
import { placementView } from './views';

/** Creates a placement for a provider that exists; capacity starts as reported in the body. */
export async function createPlacement(body: z.infer<typeof CreatePlacementBody>, meta: RequestMeta): Promise<PlacementView> {
  const { actor, now, requestId } = meta;
  assertCanManage(actor, body.providerId);
  const provider = await getProvider(body.providerId);
  if (!provider) throw new ValidationFailed(`Provider ${body.providerId} does not exist.`, [{ path: 'providerId', message: 'no such provider' }]);
  const at = now.toISOString();
  const { capacity: report, ...profile } = body;
  const placement: Placement = {
    ...profile,
    id: `plc-${crypto.randomUUID()}`,
    location: resolveLocation(body.location),
    capacity: initialCapacity(report, actor.sub, at),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const audit = newAuditEntry({
    actor,
    action: 'placement.create',
    targetType: 'placement',
    targetId: placement.id,
    changes: changedFields(undefined, { ...placement, capacity: report ?? null }),
    requestId,
    at,
  });
  const firstReport = report
    ? {
        placementId: placement.id,
        action: 'report' as const,
        at,
        by: actor.sub,
        role: actor.role,
        version: 1,
        before: null,
        after: report,
        requestId,
      }
    : undefined;
  await insertPlacement(placement, audit, firstReport);
  return placementView(placement, actor, now);
}

/** PATCH: profile fields only; `If-Match` optional here, but a stale one is refused. */
export async function updatePlacement(
  id: string,
  body: z.infer<typeof UpdatePlacementBody>,
  ifMatch: number | undefined,
  meta: RequestMeta,
): Promise<PlacementView> {
  const { actor, now, requestId } = meta;
  const current = await loadPlacement(id, { consistent: true });
  assertCanManage(actor, current.providerId);
  if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionMismatch(ifMatch, current.version);
  const at = now.toISOString();
  const patch: Partial<Placement> = { ...body, ...(body.location ? { location: resolveLocation(body.location) } : {}) } as Partial<Placement>;
  const next: Placement = { ...current, ...patch, version: current.version + 1, updatedAt: at };
  const changes = changedFields(pick(current, Object.keys(patch)), pick(next, Object.keys(patch)));
  const audit = newAuditEntry({ actor, action: 'placement.update', targetType: 'placement', targetId: id, changes, requestId, at });
  try {
    await updatePlacementProfile(next, Object.keys(patch) as (keyof Placement)[], current.version, audit);
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      const latest = await loadPlacement(id, { consistent: true });
      throw new VersionMismatch(ifMatch ?? current.version, latest.version);
    }
    throw error;
  }
  return placementView(next, actor, now);
}

function pick<T extends object>(obj: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (obj as Record<string, unknown>)[k]]));
}

export interface PlacementSearch {
  near?: string;
  radiusMiles?: number;
  state?: string;
  county?: string;
  providerId?: string;
  age?: number;
  gender?: Gender;
  type?: PlacementType[];
  specialization?: Specialization[];
  openBeds?: boolean;
  limit: number;
  cursor?: string;
}

/** Default search radius when `near` is given without one. */
export const DEFAULT_RADIUS_MILES = 50;

/**
 * Bed search. Provider staff search only their own provider's placements; everyone else the whole
 * directory. Ordered by distance when `near` is given. The placements of an inactive provider are
 * shown inactive (and so never as open beds), as matching shows them.
 */
export async function searchPlacements(q: PlacementSearch, meta: RequestMeta): Promise<Page<PlacementView>> {
  const { actor, now } = meta;
  let providerId = q.providerId;
  if (actor.role === 'provider') {
    if (providerId && !isOwnStaff(actor, providerId)) throw new Forbidden('Provider staff search only their own placements.');
    providerId = actor.providerId;
  }
  const origin = q.near ? parseNear(q.near) : undefined;
  if (q.radiusMiles !== undefined && !origin) {
    throw new ValidationFailed('radiusMiles needs near.', [{ path: 'radiusMiles', message: 'only with near' }]);
  }
  if (q.county && !q.state && !origin) {
    throw new ValidationFailed('county needs state.', [{ path: 'county', message: 'only with state' }]);
  }
  const scope: SearchScope = origin
    ? { near: origin, radiusMiles: q.radiusMiles ?? DEFAULT_RADIUS_MILES, ...opt('state', q.state), ...opt('county', q.county), ...opt('providerId', providerId) }
    : q.state
      ? { state: q.state, ...opt('county', q.county), ...opt('providerId', providerId) }
      : providerId
        ? { providerId }
        : { everywhere: true };
  // Read before the search, not per hit: a handful of ids from one small Query (M0b).
  const inactiveProviders = await inactiveProviderIds();
  const page = await searchDirectory<Placement>({
    kind: 'PLACEMENT',
    scope,
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
    fromItem: (item) => withProviderStatus(placementFromItem(item), inactiveProviders),
    keep: (p) => placementMatchesFilters(p, q, now),
  });
  return { items: page.items.map((h) => placementView(h.entity, actor, now, origin)), nextCursor: page.nextCursor };
}

/**
 * `GET /placements/{id}`. To those who place youth (and to other providers' staff) a placement
 * whose provider is inactive is shown inactive, as the bed search shows it: it takes no youth.
 * Admins and the provider's own staff see the placement's own flag, the one they edit and the one
 * that holds again when the provider is reactivated; shown the provider's instead, an edit sent
 * back whole would leave the placement switched off when the provider is reactivated.
 */
export async function placementForReader(id: string, actor: Actor, now: Date): Promise<{ view: PlacementView; version: number }> {
  const placement = await loadPlacement(id);
  const edits = actor.role === 'admin' || isOwnStaff(actor, placement.providerId);
  // The provider is read only when it can change what is shown.
  const providerStops = !edits && placement.active && inactiveBecause(placement, await getProvider(placement.providerId)) === 'provider';
  return { view: placementView(providerStops ? { ...placement, active: false } : placement, actor, now), version: placement.version };
}

/** The search filters that are not part of the index key. */
export function placementMatchesFilters(p: Placement, q: PlacementSearch, now: Date): boolean {
  if (q.age !== undefined && (q.age < p.population.minAge || q.age > p.population.maxAge)) return false;
  if (q.gender && !p.population.genders.includes(q.gender)) return false;
  if (q.type && q.type.length > 0 && !q.type.includes(p.type)) return false;
  if (q.specialization && !q.specialization.every((s) => p.specializations.includes(s))) return false;
  if (q.openBeds && (!p.active || capacityView(p.capacity, now).available < 1)) return false;
  return true;
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
