import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from './batch-get';
import type { Freshness } from '../schemas/vocabulary';
import type { AuditEntry } from './audit';
import { auditPut } from './audit';
import { documentClient, tableName } from './client';
import type { Page } from './cursor';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import { indexPartitionQuery } from './query-all';
import { HarborTable } from './table';
import type { TransactItem } from './transact';
import { TransactionConditionFailed, transactWrite } from './transact';

/**
 * Capacity confirmation requests: "a match relied on your count and it is stale — is it still
 * right?". At most one open request per placement (its key is the placement's id), listed by the
 * owning provider (gsi3) and deleted in the same transaction that confirms or updates the count.
 */
const requestKeys = {
  item: (placementId: string) => ({ pk: `CAPREQ#${placementId}`, sk: 'CAPREQ' }),
  owner: (providerId: string) => `CAPREQ#OWNER#${providerId}`,
  ownerSort: (r: Pick<ConfirmationRequest, 'requestedAt' | 'placementId'>) => `${r.requestedAt}#${r.placementId}`,
};

export interface ConfirmationRequest {
  placementId: string;
  providerId: string;
  placementName: string;
  state: string;
  /** The count's freshness when the request was made. */
  freshness: Freshness;
  /** When the count was last updated or confirmed, as of the request. */
  countReportedAt: string | null;
  requestedAt: string;
  /** Why: always a match so far (the matchId is not kept: it would lead to the youth). */
  reason: 'match_relied_on_stale_count';
}

function toRequest(item: Record<string, unknown>): ConfirmationRequest {
  const { placementId, providerId, placementName, state, freshness, countReportedAt, requestedAt, reason } = item as unknown as ConfirmationRequest;
  return { placementId, providerId, placementName, state, freshness, countReportedAt, requestedAt, reason };
}

/**
 * The Delete that clears a placement's open request. Include it in the transaction that confirms
 * or updates the count (`POST /placements/{id}/capacity/confirm`, `PUT …/capacity`): deleting a
 * request that does not exist is a no-op, so it needs no condition.
 */
export function clearConfirmationRequest(placementId: string): TransactItem {
  return { Delete: { TableName: tableName(), Key: requestKeys.item(placementId) } };
}

/**
 * The open requests among `placementIds` (one BatchGet per 100): placement id → the count time
 * the request was about (`countReportedAt`). A caller compares it with the placement's current
 * count time to tell a request still waiting from one the provider has already answered.
 */
export async function openRequests(placementIds: readonly string[]): Promise<Map<string, string | null>> {
  const open = new Map<string, string | null>();
  for (const item of await batchGetItems(placementIds.map(requestKeys.item), { projection: 'placementId, countReportedAt' })) {
    open.set(String(item.placementId), (item.countReportedAt as string | null | undefined) ?? null);
  }
  return open;
}

/** The ids among `placementIds` that have a request item. */
export async function openRequestIds(placementIds: readonly string[]): Promise<Set<string>> {
  return new Set((await openRequests(placementIds)).keys());
}

/**
 * The Put of a request. A new one must not exist yet: no duplicates while one is open. `replaces`
 * (the count time of an answered request that was never deleted) allows overwriting exactly that
 * request and no other, so two matches racing still leave one.
 */
function requestPut(r: ConfirmationRequest, replaces?: { countReportedAt: string | null }): TransactItem {
  const index = HarborTable.indexes.byOwner;
  const item = {
    ...requestKeys.item(r.placementId),
    [index.partitionKey]: requestKeys.owner(r.providerId),
    [index.sortKey]: requestKeys.ownerSort(r),
    entity: 'capacity_request',
    ...r,
  };
  if (!replaces) return { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ...(replaces.countReportedAt === null
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_type(countReportedAt, :null)', ExpressionAttributeValues: { ':null': 'NULL' } }
        : { ConditionExpression: 'countReportedAt = :was', ExpressionAttributeValues: { ':was': replaces.countReportedAt } }),
    },
  };
}

/**
 * Opens the requests, each with its audit record, in transactions of up to 50 pairs. A request
 * that appeared (or changed) meanwhile — another match raced us — fails its condition; the rest
 * are retried without it. Returns the placement ids whose request this call wrote.
 */
export async function openConfirmationRequests(
  requests: readonly { request: ConfirmationRequest; audit: AuditEntry; replaces?: { countReportedAt: string | null } }[],
): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < requests.length; i += 50) {
    let batch = requests.slice(i, i + 50);
    for (let attempt = 0; batch.length > 0 && attempt < 3; attempt++) {
      try {
        await transactWrite(batch.flatMap(({ request, audit, replaces }) => [requestPut(request, replaces), auditPut(audit)]));
        created.push(...batch.map((b) => b.request.placementId));
        break;
      } catch (error) {
        if (!(error instanceof TransactionConditionFailed)) throw error;
        const failedPairs = new Set(error.indexes.map((ix) => Math.floor(ix / 2)));
        batch = batch.filter((_, j) => !failedPairs.has(j));
      }
    }
  }
  return created;
}

/** A provider's open requests, newest first. */
export async function listConfirmationRequests(providerId: string, limit: number, cursor?: string): Promise<Page<ConfirmationRequest>> {
  const index = HarborTable.indexes.byOwner;
  const pkValue = requestKeys.owner(providerId);
  const startKey = cursor ? (decodeCursor(cursor).key as Record<string, unknown> | undefined) : undefined;
  if (cursor && (!startKey || startKey[index.partitionKey] !== pkValue)) throw badCursor();
  const out = await documentClient().send(
    new QueryCommand({
      ...indexPartitionQuery(index, pkValue),
      ScanIndexForward: false,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return {
    items: (out.Items ?? []).map(toRequest),
    nextCursor: out.LastEvaluatedKey ? encodeCursor({ key: out.LastEvaluatedKey }) : null,
  };
}
