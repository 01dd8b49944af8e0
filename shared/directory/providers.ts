import type { z } from 'zod';
import { assertCanManage, assertCanReadProvider } from '../auth/access';
import { changedFields, newAuditEntry } from '../data/audit';
import type { Page } from '../data/cursor';
import { getProvider, insertProvider, listProviders, updateProvider as writeProvider } from '../data/providers';
import { TransactionConditionFailed } from '../data/transact';
import { NotFound, VersionMismatch } from '../errors';
import type { CreateProviderBody, Provider, UpdateProviderBody } from '../schemas/directory';
import type { RequestMeta } from './load';

export async function createProvider(body: z.infer<typeof CreateProviderBody>, meta: RequestMeta): Promise<Provider> {
  const at = meta.now.toISOString();
  const provider: Provider = { ...body, id: `prv-${crypto.randomUUID()}`, version: 1, createdAt: at, updatedAt: at };
  await insertProvider(
    provider,
    newAuditEntry({
      actor: meta.actor,
      action: 'provider.create',
      targetType: 'provider',
      targetId: provider.id,
      changes: changedFields(undefined, { ...provider }),
      requestId: meta.requestId,
      at,
    }),
  );
  return provider;
}

export async function readProvider(id: string, meta: RequestMeta): Promise<Provider> {
  assertCanReadProvider(meta.actor, id);
  const provider = await getProvider(id);
  if (!provider) throw new NotFound('Provider', id);
  return provider;
}

/** Admins and coordinators list every provider; provider staff see only their own. */
export async function providersFor(page: { limit: number; cursor?: string }, meta: RequestMeta): Promise<Page<Provider>> {
  if (meta.actor.role === 'provider') {
    const own = await getProvider(meta.actor.providerId!);
    return { items: own ? [own] : [], nextCursor: null };
  }
  return listProviders(page.limit, page.cursor);
}

export async function updateProvider(
  id: string,
  body: z.infer<typeof UpdateProviderBody>,
  ifMatch: number | undefined,
  meta: RequestMeta,
): Promise<Provider> {
  assertCanManage(meta.actor, id);
  const current = await getProvider(id);
  if (!current) throw new NotFound('Provider', id);
  if (ifMatch !== undefined && ifMatch !== current.version) throw new VersionMismatch(ifMatch, current.version);
  const at = meta.now.toISOString();
  const next: Provider = { ...current, ...body, version: current.version + 1, updatedAt: at };
  const fields = Object.keys(body) as (keyof Provider)[];
  const before = Object.fromEntries(fields.map((f) => [f, current[f]]));
  const after = Object.fromEntries(fields.map((f) => [f, next[f]]));
  const audit = newAuditEntry({ actor: meta.actor, action: 'provider.update', targetType: 'provider', targetId: id, changes: changedFields(before, after), requestId: meta.requestId, at });
  try {
    await writeProvider(next, fields, current.version, audit);
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      const latest = await getProvider(id);
      throw new VersionMismatch(ifMatch ?? current.version, latest?.version ?? current.version);
    }
    throw error;
  }
  return next;
}
