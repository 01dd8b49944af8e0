import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../auth/actor';
import { documentClient, tableName } from './client';
import type { Page } from './cursor';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import type { TransactItem } from './transact';
import { HarborTable } from './table';

/** One audit record: who did what to which object, with the changed fields before and after. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  role: string;
  /** `<entity>.<verb>`, e.g. `placement.create`, `capacity.update`, `referral.accept`. */
  action: string;
  targetType: string;
  targetId: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  requestId: string;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Audit keys: one partition per UTC day (the trail is read newest first, by day), plus the
 * by-target (gsi2) and by-actor (gsi3) indexes. Sort keys start with the time so each reads in order.
 */
const auditKeys = {
  item: (e: Pick<AuditEntry, 'at' | 'id'>) => ({ pk: `AUDIT#${day(e.at)}`, sk: `${e.at}#${e.id}` }),
  dayPartition: (d: string) => `AUDIT#${d}`,
  target: (targetId: string) => `AUDIT#TARGET#${targetId}`,
  actor: (sub: string) => `AUDIT#ACTOR#${sub}`,
};

export function newAuditEntry(input: {
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string;
  changes: AuditEntry['changes'];
  requestId: string;
  at: string;
}): AuditEntry {
  return {
    id: crypto.randomUUID(),
    at: input.at,
    actor: input.actor.sub,
    role: input.actor.role,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    changes: input.changes,
    requestId: input.requestId,
  };
}

/** The stored item of an audit record (also used by the demo loader, which writes in bulk). */
export function auditItem(entry: AuditEntry): Record<string, unknown> {
  const sortKey = `${entry.at}#${entry.id}`;
  return {
    ...auditKeys.item(entry),
    gsi2pk: auditKeys.target(entry.targetId),
    gsi2sk: sortKey,
    gsi3pk: auditKeys.actor(entry.actor),
    gsi3sk: sortKey,
    entity: 'audit',
    ...entry,
  };
}

/** The Put that records `entry`: always part of the same transaction as the change it describes. */
export function auditPut(entry: AuditEntry): TransactItem {
  return { Put: { TableName: tableName(), Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Top-level fields whose values differ, with before and after; the audit's `changes`. */
export function changedFields(before: Record<string, unknown> | undefined, after: Record<string, unknown>): AuditEntry['changes'] {
  const changes: AuditEntry['changes'] = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of keys) {
    const b = before?.[key];
    const a = after[key];
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[key] = { before: b ?? null, after: a ?? null };
  }
  return changes;
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const { id, at, actor, role, action, targetType, targetId, changes, requestId } = item as unknown as AuditEntry;
  return { id, at, actor, role, action, targetType, targetId, changes, requestId };
}

export interface AuditQuery {
  targetId?: string;
  actor?: string;
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

/**
 * Newest first. By target or actor: one index partition, bounded by time. Otherwise the day
 * partitions from `to` back to `from`; the cursor remembers the day and the key within it.
 */
export async function listAudit(q: AuditQuery): Promise<Page<AuditEntry>> {
  const doc = documentClient();
  const position = q.cursor ? decodeCursor(q.cursor) : undefined;
  const timeRange = { ':from': q.from, ':to': `${q.to}\uffff` };

  if (q.targetId || q.actor) {
    const index = q.targetId ? HarborTable.indexes.byState : HarborTable.indexes.byOwner;
    const pkValue = q.targetId ? auditKeys.target(q.targetId) : auditKeys.actor(q.actor!);
    const startKey = position?.key as Record<string, unknown> | undefined;
    if (startKey && startKey[index.partitionKey] !== pkValue) throw badCursor();
    const items: AuditEntry[] = [];
    let exclusiveStartKey = startKey;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: { ':pk': pkValue, ...timeRange },
          ScanIndexForward: false,
          Limit: q.limit - items.length,
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = toEntry(item);
        if (q.actor && q.targetId && entry.actor !== q.actor) continue;
        items.push(entry);
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey && items.length < q.limit);
    return { items, nextCursor: exclusiveStartKey ? encodeCursor({ key: exclusiveStartKey }) : null };
  }

  let currentDay = typeof position?.day === 'string' ? position.day : day(q.to);
  if (position && (currentDay > day(q.to) || currentDay < day(q.from))) throw badCursor();
  let exclusiveStartKey = position?.key as Record<string, unknown> | undefined;
  if (exclusiveStartKey && exclusiveStartKey.pk !== auditKeys.dayPartition(currentDay)) throw badCursor();
  const items: AuditEntry[] = [];
  while (items.length < q.limit && currentDay >= day(q.from)) {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': auditKeys.dayPartition(currentDay), ...timeRange },
        ScanIndexForward: false,
        Limit: q.limit - items.length,
        ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map(toEntry));
    exclusiveStartKey = page.LastEvaluatedKey;
    if (!exclusiveStartKey) currentDay = previousDay(currentDay);
  }
  const more = exclusiveStartKey !== undefined || currentDay >= day(q.from);
  return {
    items,
    nextCursor: more ? encodeCursor({ day: currentDay, ...(exclusiveStartKey ? { key: exclusiveStartKey } : {}) }) : null,
  };
}

function previousDay(d: string): string {
  const t = new Date(`${d}T00:00:00.000Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}
