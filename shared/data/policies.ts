import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Policy } from '../domain/policy';
import type { AuditEntry } from './audit';
import { auditPut } from './audit';
import { documentClient, tableName } from './client';
import type { TransactItem } from './transact';
import { transactWrite } from './transact';

/**
 * The matching and referral policy. One item holds the current policy; every version ever put is
 * also kept under its own sort key, so the policy that produced an old match (its policyVersion)
 * can still be read. Until an admin first puts one, the code's DEFAULT_POLICY (version 1) is current.
 */
const policyKeys = {
  current: { pk: 'POLICY', sk: 'CURRENT' },
  version: (v: number) => ({ pk: 'POLICY', sk: `VERSION#${String(v).padStart(9, '0')}` }),
};

function policyFromItem(item: Record<string, unknown>): Policy {
  const { pk: _pk, sk: _sk, entity: _entity, ...policy } = item;
  return policy as unknown as Policy;
}

/** The stored current policy, or undefined when none was ever put. */
export async function readStoredPolicy(options: { consistent?: boolean } = {}): Promise<Policy | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: policyKeys.current, ConsistentRead: options.consistent ?? false }),
  );
  return out.Item ? policyFromItem(out.Item) : undefined;
}

/** One stored version of the policy (versions from 2 on; version 1 is the code's default). */
export async function readPolicyVersion(version: number): Promise<Policy | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: policyKeys.version(version) }));
  return out.Item ? policyFromItem(out.Item) : undefined;
}

/**
 * Writes `next` as the current policy if the current one is still `expectedVersion`, with its
 * version item and the audit record, all or nothing. `firstWrite`: nothing is stored yet (the
 * default is current), so the condition is that the item does not exist. Throws
 * TransactionConditionFailed (index 0) when another change got there first.
 */
export async function writePolicy(next: Policy, expectedVersion: number, firstWrite: boolean, audit: AuditEntry): Promise<void> {
  const current: TransactItem = {
    Put: {
      TableName: tableName(),
      Item: { ...policyKeys.current, entity: 'policy', ...next },
      ConditionExpression: firstWrite ? 'attribute_not_exists(pk)' : '#version = :expected',
      ...(firstWrite ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  };
  const version: TransactItem = {
    Put: {
      TableName: tableName(),
      Item: { ...policyKeys.version(next.version), entity: 'policy_version', ...next },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  await transactWrite([current, version, auditPut(audit)]);
}
