import type { z } from 'zod';
import { assertCanManage, isOwnStaff } from '../auth/access';
import { changedFields, newAuditEntry } from '../data/audit';
import type { Page } from '../data/cursor';
import { getProvider } from '../data/providers';
import { getService, insertService, serviceFromItem, updateServiceProfile } from '../data/services';
import { TransactionConditionFailed } from '../data/transact';
import { Forbidden, ValidationFailed, VersionMismatch } from '../errors';
import type { CreateServiceBody, Service, UpdateServiceBody } from '../schemas/directory';
import type { Language, ServiceCategory } from '../schemas/vocabulary';
import { parseNear, resolveLocation } from './locations';
import { DEFAULT_RADIUS_MILES } from './placements';
import type { RequestMeta } from './load';
import { loadService } from './load';
import type { SearchScope } from './search';
import { searchDirectory } from './search';
import type { ServiceView } from './views';
import { serviceView } from './views';

export async function createService(body: z.infer<typeof CreateServiceBody>, meta: RequestMeta): Promise<ServiceView> {
  const { actor, now, requestId } = meta;
  assertCanManage(actor, body.providerId);
  if (!(await getProvider(body.providerId))) {
    throw new ValidationFailed(`Provider ${body.providerId} does not exist.`, [{ path: 'providerId', message: 'no such provider' }]);
  }
  const at = now.toISOString();
  const service: Service = { ...body, id: `svc-${crypto.randomUUID()}`, location: resolveLocation(body.location), version: 1, createdAt: at, updatedAt: at };
  await insertService(
    service,
    newAuditEntry({ actor, action: 'service.create', targetType: 'service', targetId: service.id, changes: changedFields(undefined, { ...service }), requestId, at }),
  );
  return serviceView(service, actor);
}

export async function updateService(id: string, body: z.infer<typeof UpdateServiceBody>, ifMatch: number | undefined, meta: RequestMeta): Promise<ServiceView> {
  const { actor, now, requestId } = meta;
  const current = await loadService(id);
  assertCanManage(actor, current.providerId);
  if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionMismatch(ifMatch, current.version);
  const at = now.toISOString();
  const patch = { ...body, ...(body.location ? { location: resolveLocation(body.location) } : {}) } as Partial<Service>;
  const next: Service = { ...current, ...patch, version: current.version + 1, updatedAt: at };
  const fields = Object.keys(patch) as (keyof Service)[];
  const changes = changedFields(
    Object.fromEntries(fields.map((f) => [f, current[f]])),
    Object.fromEntries(fields.map((f) => [f, next[f]])),
  );
  try {
    await updateServiceProfile(current, next, fields, newAuditEntry({ actor, action: 'service.update', targetType: 'service', targetId: id, changes, requestId, at }));
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      const latest = await getService(id);
      throw new VersionMismatch(ifMatch ?? current.version, latest?.version ?? current.version);
    }
    throw error;
  }
  return serviceView(next, actor);
}

export interface ServiceSearch {
  near?: string;
  radiusMiles?: number;
  state?: string;
  providerId?: string;
  category?: ServiceCategory[];
  age?: number;
  language?: Language[];
  telehealth?: boolean;
  limit: number;
  cursor?: string;
}

/** The services directory; provider staff see their own provider's services only. */
export async function searchServices(q: ServiceSearch, meta: RequestMeta): Promise<Page<ServiceView>> {
  const { actor } = meta;
  let providerId = q.providerId;
  if (actor.role === 'provider') {
    if (providerId && !isOwnStaff(actor, providerId)) throw new Forbidden('Provider staff search only their own services.');
    providerId = actor.providerId;
  }
  const origin = q.near ? parseNear(q.near) : undefined;
  if (q.radiusMiles !== undefined && !origin) throw new ValidationFailed('radiusMiles needs near.', [{ path: 'radiusMiles', message: 'only with near' }]);
  const scope: SearchScope = origin
    ? { near: origin, radiusMiles: q.radiusMiles ?? DEFAULT_RADIUS_MILES, ...(q.state ? { state: q.state } : {}), ...(providerId ? { providerId } : {}) }
    : q.state
      ? { state: q.state, ...(providerId ? { providerId } : {}) }
      : providerId
        ? { providerId }
        : { everywhere: true };
  const page = await searchDirectory<Service>({
    kind: 'SERVICE',
    scope,
    limit: q.limit,
    ...(q.cursor ? { cursor: q.cursor } : {}),
    fromItem: serviceFromItem,
    keep: (s) => serviceMatchesFilters(s, q),
  });
  return { items: page.items.map((h) => serviceView(h.entity, actor, origin)), nextCursor: page.nextCursor };
}

export function serviceMatchesFilters(s: Service, q: ServiceSearch): boolean {
  if (q.category && q.category.length > 0 && !q.category.includes(s.category)) return false;
  if (q.age !== undefined && (q.age < s.population.minAge || q.age > s.population.maxAge)) return false;
  if (q.language && q.language.length > 0 && !q.language.some((l) => s.languages.includes(l))) return false;
  if (q.telehealth !== undefined && (s.modality !== 'in_person') !== q.telehealth) return false;
  return true;
}
