import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { documentClient, tableName } from './client';
import type { TransactItem } from './transact';

/**
 * Idempotency records: one item per (caller, Idempotency-Key), claimed with a conditional Put in
 * the same transaction as the object it creates. Either both exist or neither does, so a retry
 * finds either the record (and the object it names) or nothing at all.
 */
export interface IdempotencyRecord {
  /** The caller's `sub`: keys are per caller, so two callers never collide on a key. */
  caller: string;
  /** A hash of the normalised request body: the same key with another body is refused. */
  fingerprint: string;
  resourceType: string;
  resourceId: string;
  createdAt: string;
  /** Epoch seconds: DynamoDB TTL forgets the key after the retention window. */
  ttl: number;
}

/** How long a key is remembered; a repeat after this creates a new object (documented in docs/referrals.md). */
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 60 * 60;

const idempotencyKeys = {
  // The client's key is hashed: it may be any printable string, and a key should not be readable
  // in the table's partition keys.
  item: (caller: string, key: string) => ({
    pk: `IDEMPOTENCY#${createHash('sha256').update(`${caller}\n${key}`).digest('base64url')}`,
    sk: 'IDEMPOTENCY',
  }),
};

/**
 * The Put that claims `key` for `caller`; its condition fails if the key is in use. A record past
 * its TTL counts as free (DynamoDB deletes expired items lazily, up to days later).
 */
export function idempotencyClaimPut(key: string, record: IdempotencyRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...idempotencyKeys.item(record.caller, key), entity: 'idempotency', ...record },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
    },
  };
}

/** The record a caller's key names, read consistently (it was just written by a concurrent request). */
export async function getIdempotencyRecord(caller: string, key: string, now: Date): Promise<IdempotencyRecord | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKeys.item(caller, key), ConsistentRead: true }),
  );
  if (!out.Item || (out.Item.ttl as number) < Math.floor(now.getTime() / 1000)) return undefined;
  const { fingerprint, resourceType, resourceId, createdAt, ttl } = out.Item as IdempotencyRecord;
  return { caller, fingerprint, resourceType, resourceId, createdAt, ttl };
}
