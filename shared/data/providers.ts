import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Provider } from '../schemas/directory';
import type { AuditEntry } from './audit';
import { auditPut } from './audit';
import { documentClient, tableName } from './client';
import type { Page } from './cursor';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import { setExpression } from './expressions';
import { indexPartitionQuery, queryAll } from './query-all';
import type { TransactItem } from './transact';
import { transactWrite } from './transact';
import { HarborTable } from './table';

/**
 * Providers: one item each; all providers also sit in one gsi2 partition sorted by name, which
 * serves the admin's and coordinators' provider list (thousands of providers at most).
 */
const providerKeys = {
  item: (id: string) => ({ pk: `PROVIDER#${id}`, sk: 'PROVIDER' }),
  all: 'PROVIDERS',
  byName: (p: Pick<Provider, 'name' | 'id'>) => `${p.name.toLowerCase()}#${p.id}`,
};

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi2pk', 'gsi2sk', 'gsi4pk', 'gsi4sk', 'entity'];

/**
 * Inactive providers also sit in one partition of the matching index (sparse: an active
 * provider has no gsi4 keys), so a match learns in one small Query whose placements it must
 * treat as inactive.
 */
const INACTIVE_PROVIDERS = 'PROVIDERS#INACTIVE';
export function inactiveProviderKeys(p: Pick<Provider, 'id' | 'active'>): { gsi4pk: string; gsi4sk: string } | Record<string, never> {
  return p.active === false ? { gsi4pk: INACTIVE_PROVIDERS, gsi4sk: p.id } : {};
}

export function providerItem(p: Provider): Record<string, unknown> {
  return { ...providerKeys.item(p.id), gsi2pk: providerKeys.all, gsi2sk: providerKeys.byName(p), ...inactiveProviderKeys(p), entity: 'provider', ...p };
}

function providerFromItem(item: Record<string, unknown>): Provider {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as unknown as Provider;
}

export async function getProvider(id: string, options: { consistent?: boolean } = {}): Promise<Provider | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: providerKeys.item(id), ConsistentRead: options.consistent ?? false }));
  return out.Item ? providerFromItem(out.Item) : undefined;
}

export async function insertProvider(p: Provider, audit: AuditEntry): Promise<void> {
  await transactWrite([
    { Put: { TableName: tableName(), Item: providerItem(p), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(audit),
  ]);
}

export async function updateProvider(next: Provider, changed: (keyof Provider)[], expectedVersion: number, audit: AuditEntry): Promise<void> {
  const values: Record<string, unknown> = { version: next.version, updatedAt: next.updatedAt, gsi2sk: providerKeys.byName(next) };
  for (const field of changed) if (field !== 'id') values[field] = next[field];
  Object.assign(values, inactiveProviderKeys(next));
  const set = setExpression(values);
  // Reactivated: out of the inactive partition.
  const remove = next.active === false ? '' : ' REMOVE gsi4pk, gsi4sk';
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: providerKeys.item(next.id),
        UpdateExpression: set.expression + remove,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { ...set.names, '#version': 'version' },
        ExpressionAttributeValues: { ...set.values, ':expected': expectedVersion },
      },
    },
    auditPut(audit),
  ]);
}

/**
 * A transaction item that holds only while the provider has not been made inactive, so a write
 * that must not happen for an inactive provider's programs (a bed hold) cannot race its
 * deactivation. A provider item that does not exist passes: nothing has made it inactive.
 */
export function providerNotInactiveCheck(providerId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: providerKeys.item(providerId),
      ConditionExpression: 'attribute_not_exists(#active) OR #active <> :false',
      ExpressionAttributeNames: { '#active': 'active' },
      ExpressionAttributeValues: { ':false': false },
    },
  };
}

/** The ids of inactive providers (a handful, typically none). */
export async function inactiveProviderIds(): Promise<Set<string>> {
  const index = HarborTable.indexes.forMatching;
  const items = await queryAll(indexPartitionQuery(index, INACTIVE_PROVIDERS));
  return new Set(items.map((item) => item[index.sortKey] as string));
}

/** All providers by name. */
export async function listProviders(limit: number, cursor?: string): Promise<Page<Provider>> {
  const index = HarborTable.indexes.byState;
  const startKey = cursor ? (decodeCursor(cursor).key as Record<string, unknown> | undefined) : undefined;
  if (cursor && (!startKey || startKey[index.partitionKey] !== providerKeys.all)) throw badCursor();
  const out = await documentClient().send(
    new QueryCommand({
      ...indexPartitionQuery(index, providerKeys.all),
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return {
    items: (out.Items ?? []).map(providerFromItem),
    nextCursor: out.LastEvaluatedKey ? encodeCursor({ key: out.LastEvaluatedKey }) : null,
  };
}
