import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Service } from '../schemas/directory';
import type { AuditEntry } from './audit';
import { auditPut } from './audit';
import { documentClient, tableName } from './client';
import { directoryIndexKeys } from './directory-index';
import { setExpression } from './expressions';
import { MATCH_INDEX_ATTRIBUTES, serviceMatchAttributes } from './match-cards';
import { telehealthListingItems, telehealthListingWrites } from './telehealth-listings';
import { transactWrite } from './transact';

/** Services: one item each, indexed by cell, state and owner like placements. */
const SERVICE_SK = 'SERVICE';
const serviceKeys = {
  item: (id: string) => ({ pk: `SERVICE#${id}`, sk: SERVICE_SK }),
};

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity', ...MATCH_INDEX_ATTRIBUTES];

export function serviceItem(s: Service): Record<string, unknown> {
  return { ...serviceKeys.item(s.id), ...directoryIndexKeys('SERVICE', s.id, s), ...serviceMatchAttributes(s), entity: 'service', ...s };
}

/** The service's item and its telehealth listings: what bulk loaders write for one service. */
export function serviceItems(s: Service): Record<string, unknown>[] {
  return [serviceItem(s), ...telehealthListingItems(s)];
}

/** A telehealth listing sits in its service's partition (telehealth-listings.ts): the key of the service's own item beside it. */
export function serviceItemKeyOfListing(listing: Record<string, unknown>): { pk: unknown; sk: string } {
  return { pk: listing.pk, sk: SERVICE_SK };
}

export function serviceFromItem(item: Record<string, unknown>): Service {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as unknown as Service;
}

export async function getService(id: string): Promise<Service | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: serviceKeys.item(id) }));
  return out.Item ? serviceFromItem(out.Item) : undefined;
}

export async function insertService(s: Service, audit: AuditEntry): Promise<void> {
  await transactWrite([
    { Put: { TableName: tableName(), Item: serviceItem(s), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(audit),
    ...telehealthListingWrites(undefined, s),
  ]);
}

/** Writes the changed fields of `next` if the stored service is still `before`'s version, with its telehealth listings. */
export async function updateServiceProfile(before: Service, next: Service, changed: (keyof Service)[], audit: AuditEntry): Promise<void> {
  const expectedVersion = before.version;
  const values: Record<string, unknown> = { version: next.version, updatedAt: next.updatedAt };
  for (const field of changed) {
    if (field === 'id' || field === 'providerId') continue;
    values[field] = next[field];
  }
  // The match card is rewritten from the whole new profile in the same write.
  Object.assign(values, directoryIndexKeys('SERVICE', next.id, next), serviceMatchAttributes(next));
  const set = setExpression(values);
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: serviceKeys.item(next.id),
        UpdateExpression: set.expression,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { ...set.names, '#version': 'version' },
        ExpressionAttributeValues: { ...set.values, ':expected': expectedVersion },
      },
    },
    auditPut(audit),
    ...telehealthListingWrites(before, next),
  ]);
}
