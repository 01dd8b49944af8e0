import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Placement, StoredCapacity } from '../schemas/directory';
import type { AuditEntry } from './audit';
import { auditPut } from './audit';
import { documentClient, tableName } from './client';
import type { Page } from './cursor';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import { directoryIndexKeys } from './directory-index';
import { setExpression } from './expressions';
import { MATCH_CAPACITY_ATTRIBUTES, MATCH_INDEX_ATTRIBUTES, matchCapacityAttributes, matchCountOf, placementMatchAttributes } from './match-cards';
import { reportTimeIndexKeys, reportTimePartition, reportTimeSortKey } from './report-time-index';
import type { TransactItem } from './transact';
import { transactWrite } from './transact';

/**
 * Placements: one item per placement (profile and capacity together, so a referral hold can
 * check and change capacity in one conditional write), and one item per capacity change under
 * the same partition (the history).
 *
 * On the item, a placement's capacity is three things: the `capacity` map (counts, version, who
 * and when) without the holds; the holds, as the top-level map `holds` (referral id → lapse
 * time), so the matching index can project them without the rest of the map; and the compact
 * copies of the counts the matching index reads (`matchCount`, `matchConfirmedAt`; match-cards.ts),
 * written by the same update as what they copy. `placementFromItem` puts them back together. Every
 * write of a count or a confirmation also moves the placement in the report-time index (gsi5sk;
 * report-time-index.ts), in the same update.
 */
const placementKeys = {
  item: (id: string) => ({ pk: `PLACEMENT#${id}`, sk: 'PLACEMENT' }),
  history: (id: string, at: string, version: number) => ({
    pk: `PLACEMENT#${id}`,
    sk: `CAPACITY#${at}#${String(version).padStart(9, '0')}`,
  }),
  historyPrefix: 'CAPACITY#',
};

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi5pk', 'gsi5sk', 'entity', ...MATCH_INDEX_ATTRIBUTES, ...MATCH_CAPACITY_ATTRIBUTES, 'holds'];

/** The capacity attributes of a placement item (see above). */
function capacityAttributes(capacity: StoredCapacity): Record<string, unknown> {
  const { holds, ...counts } = capacity;
  return { capacity: counts, holds, ...matchCapacityAttributes(capacity) };
}

/** The stored item for a placement (used by create and by the demo loader). */
export function placementItem(p: Placement): Record<string, unknown> {
  return {
    ...placementKeys.item(p.id),
    ...directoryIndexKeys('PLACEMENT', p.id, p),
    ...reportTimeIndexKeys(p),
    ...placementMatchAttributes(p),
    entity: 'placement',
    ...p,
    ...capacityAttributes(p.capacity),
  };
}

export function placementFromItem(item: Record<string, unknown>): Placement {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  // An item from before the holds had their own attribute keeps them in the map until the
  // backfill moves them (capacityLayoutRepair); hold and count writes to it fail meanwhile.
  const { holds: legacyHolds, ...counts } = item.capacity as StoredCapacity;
  copy.capacity = { ...counts, holds: (item.holds as StoredCapacity['holds'] | undefined) ?? legacyHolds ?? {} };
  return copy as unknown as Placement;
}

/**
 * The update that brings a placement item's capacity attributes to the layout above, or
 * undefined when they are already there: the holds moved out of the map (copied inside the update,
 * so none taken meanwhile is lost), the matching copies and the report-time index keys rewritten.
 * Conditional on the capacity version and confirmation read, the only things the copies and the
 * report time derive from, and on the state read (the index partition). For the backfill.
 */
export function capacityLayoutRepair(item: Record<string, unknown>):
  | { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> }
  | undefined {
  const capacity = item.capacity as Omit<StoredCapacity, 'holds'> & { holds?: StoredCapacity['holds'] };
  const wanted = matchCapacityAttributes(capacity);
  const location = item.location as Placement['location'];
  const active = item.active !== false;
  const reportTime = reportTimeIndexKeys({ id: item.id as string, active, location, capacity });
  const legacyHolds = capacity.holds !== undefined;
  const inLayout = !legacyHolds && item.holds !== undefined && item.matchCount === wanted.matchCount && item.matchConfirmedAt === wanted.matchConfirmedAt;
  if (inLayout && item.gsi5pk === reportTime.gsi5pk && item.gsi5sk === reportTime.gsi5sk) return undefined;
  const set = ['#matchCount = :matchCount', '#reportSk = :reportSk'];
  const remove: string[] = [];
  // The report-time partition follows the state and whether the placement is active.
  const condition = ['#cap.#version = :version', '#location.#state = :state', item.active === undefined ? 'attribute_not_exists(#active)' : '#active = :active'];
  const values: Record<string, unknown> = {
    ':matchCount': wanted.matchCount,
    ':version': capacity.version,
    ':reportSk': reportTime.gsi5sk,
    ':state': location.state,
    ...(item.active === undefined ? {} : { ':active': item.active }),
  };
  if (reportTime.gsi5pk) {
    set.push('#reportPk = :reportPk');
    values[':reportPk'] = reportTime.gsi5pk;
  } else {
    remove.push('#reportPk');
  }
  if (legacyHolds) {
    set.push('#holds = #cap.#holds');
    remove.push('#cap.#holds');
    condition.push('attribute_not_exists(#holds)');
  } else if (item.holds === undefined) {
    set.push('#holds = :noHolds');
    condition.push('attribute_not_exists(#holds)');
    values[':noHolds'] = {};
  }
  if (wanted.matchConfirmedAt) {
    set.push('#matchConfirmedAt = :confirmedAt');
    condition.push('#cap.#confirmedAt = :confirmedAt');
    values[':confirmedAt'] = wanted.matchConfirmedAt;
  } else {
    remove.push('#matchConfirmedAt');
    condition.push('(attribute_not_exists(#cap.#confirmedAt) OR attribute_type(#cap.#confirmedAt, :null))');
    values[':null'] = 'NULL';
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: condition.join(' AND '),
    ExpressionAttributeNames: {
      '#cap': 'capacity',
      '#version': 'version',
      // DynamoDB refuses a name the expressions do not use: only when the holds are moved or made.
      ...(legacyHolds || item.holds === undefined ? { '#holds': 'holds' } : {}),
      '#confirmedAt': 'confirmedAt',
      '#matchCount': 'matchCount',
      '#matchConfirmedAt': 'matchConfirmedAt',
      '#reportPk': 'gsi5pk',
      '#reportSk': 'gsi5sk',
      '#location': 'location',
      '#state': 'state',
      '#active': 'active',
    },
    ExpressionAttributeValues: values,
  };
}

export async function getPlacement(id: string, options: { consistent?: boolean } = {}): Promise<Placement | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: placementKeys.item(id), ConsistentRead: options.consistent ?? false }),
  );
  return out.Item ? placementFromItem(out.Item) : undefined;
}

/** A capacity history entry: who changed or confirmed the count, when, and the values before and after. */
export interface CapacityHistoryEntry {
  placementId: string;
  /**
   * report: the first count (at creation or import); update: a new count from the provider;
   * confirm: still accurate; admit: a referred youth arrived and a held bed became occupied.
   */
  action: 'report' | 'update' | 'confirm' | 'admit';
  at: string;
  by: string;
  role: string;
  version: number;
  before: { total: number; occupied: number } | null;
  after: { total: number; occupied: number };
  requestId: string;
}

/** The stored item of a capacity history entry (also used by the demo loader). */
export function capacityHistoryItem(entry: CapacityHistoryEntry): Record<string, unknown> {
  return { ...placementKeys.history(entry.placementId, entry.at, entry.version), entity: 'capacity_history', ...entry };
}

function historyPut(entry: CapacityHistoryEntry): TransactItem {
  return { Put: { TableName: tableName(), Item: capacityHistoryItem(entry) } };
}

/** Creates the placement, its first capacity report (if any) and the audit record, all or nothing. */
export async function insertPlacement(p: Placement, audit: AuditEntry, firstReport?: CapacityHistoryEntry): Promise<void> {
  await transactWrite([
    { Put: { TableName: tableName(), Item: placementItem(p), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(firstReport ? [historyPut(firstReport)] : []),
    auditPut(audit),
  ]);
}

/**
 * Writes changed profile fields only (never `capacity`, which holds and counts change under
 * their own conditions), if the placement is still at `expectedVersion`.
 */
export async function updatePlacementProfile(
  next: Placement,
  changed: (keyof Placement)[],
  expectedVersion: number,
  audit: AuditEntry,
): Promise<void> {
  const values: Record<string, unknown> = { version: next.version, updatedAt: next.updatedAt };
  for (const field of changed) {
    if (field === 'capacity' || field === 'id' || field === 'providerId') continue;
    values[field] = next[field];
  }
  // A new location moves the placement to another cell and state partition; the match card is
  // rewritten from the whole new profile in the same write. In the report-time index only the
  // partition moves (only count writes, under their own conditions, know the last report), and
  // an inactive placement leaves it.
  Object.assign(values, directoryIndexKeys('PLACEMENT', next.id, next), placementMatchAttributes(next));
  if (next.active) values.gsi5pk = reportTimePartition(next.location.state);
  const set = setExpression(values);
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: placementKeys.item(next.id),
        UpdateExpression: next.active ? set.expression : `${set.expression} REMOVE #reportPk`,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { ...set.names, '#version': 'version', ...(next.active ? {} : { '#reportPk': 'gsi5pk' }) },
        ExpressionAttributeValues: { ...set.values, ':expected': expectedVersion },
      },
    },
    auditPut(audit),
  ]);
}

/**
 * Sets the reported counts if capacity is still at `expectedVersion` and no more than
 * `total − occupied` holds remain in force at the moment of writing: the invariant
 * occupied + onHold ≤ total is enforced by DynamoDB itself, so a hold taken between our read and
 * this write cannot be over-committed. Holds that had already lapsed (`lapsedHoldIds`) are
 * removed in the same write; the condition requires them to still be there, so `size(holds)`
 * minus their number is exactly the holds still in force. Throws TransactionConditionFailed
 * when any condition fails.
 */
export async function writeCapacityCounts(input: {
  placementId: string;
  expectedVersion: number;
  counts: { total: number; occupied: number };
  lapsedHoldIds: string[];
  at: string;
  by: string;
  history: CapacityHistoryEntry;
  audit: AuditEntry;
  /** Writes owned by other modules that belong in the same transaction. */
  extras?: TransactItem[];
}): Promise<void> {
  const lapsedNames = Object.fromEntries(input.lapsedHoldIds.map((id, i) => [`#lapsed${i}`, id]));
  const lapsedPaths = Object.keys(lapsedNames).map((name) => `#holds.${name}`);
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: placementKeys.item(input.placementId),
        UpdateExpression:
          'SET #cap.#total = :total, #cap.occupied = :occupied, #cap.version = :next, #cap.updatedAt = :at, #cap.updatedBy = :by, matchCount = :matchCount, gsi5sk = :reported' +
          (lapsedPaths.length > 0 ? ` REMOVE ${lapsedPaths.join(', ')}` : ''),
        ConditionExpression: [
          'attribute_exists(pk)',
          '#cap.version = :expected',
          'size(#holds) <= :maxHolds',
          ...lapsedPaths.map((path) => `attribute_exists(${path})`),
        ].join(' AND '),
        ExpressionAttributeNames: { '#cap': 'capacity', '#total': 'total', '#holds': 'holds', ...lapsedNames },
        ExpressionAttributeValues: {
          ':total': input.counts.total,
          ':occupied': input.counts.occupied,
          ':expected': input.expectedVersion,
          ':next': input.expectedVersion + 1,
          ':maxHolds': input.counts.total - input.counts.occupied + input.lapsedHoldIds.length,
          ':at': input.at,
          ':by': input.by,
          ':matchCount': matchCountOf({ ...input.counts, updatedAt: input.at }),
          ':reported': reportTimeSortKey(input.at, input.placementId),
        },
      },
    },
    historyPut(input.history),
    auditPut(input.audit),
    ...(input.extras ?? []),
  ]);
}

/** "Still accurate": restarts freshness without changing the counts or their version. */
export async function writeCapacityConfirmation(input: {
  placementId: string;
  expectedVersion: number;
  at: string;
  by: string;
  history: CapacityHistoryEntry;
  audit: AuditEntry;
  /** Writes owned by other modules that belong in the same transaction. */
  extras?: TransactItem[];
}): Promise<void> {
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: placementKeys.item(input.placementId),
        UpdateExpression: 'SET #cap.confirmedAt = :at, #cap.confirmedBy = :by, matchConfirmedAt = :at, gsi5sk = :reported',
        ConditionExpression: 'attribute_exists(pk) AND #cap.version = :expected',
        ExpressionAttributeNames: { '#cap': 'capacity' },
        ExpressionAttributeValues: { ':at': input.at, ':by': input.by, ':expected': input.expectedVersion, ':reported': reportTimeSortKey(input.at, input.placementId) },
      },
    },
    historyPut(input.history),
    auditPut(input.audit),
    ...(input.extras ?? []),
  ]);
}

/** Capacity history, newest first. */
export async function listCapacityHistory(placementId: string, limit: number, cursor?: string): Promise<Page<CapacityHistoryEntry>> {
  const { pk } = placementKeys.item(placementId);
  const startKey = cursor ? (decodeCursor(cursor).key as Record<string, unknown> | undefined) : undefined;
  if (cursor && (!startKey || startKey.pk !== pk)) throw badCursor();
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': placementKeys.historyPrefix },
      ScanIndexForward: false,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  const items = (out.Items ?? []).map((item) => {
    const { placementId, action, at, by, role, version, before, after, requestId } = item as unknown as CapacityHistoryEntry;
    return { placementId, action, at, by, role, version, before, after, requestId };
  });
  return { items, nextCursor: out.LastEvaluatedKey ? encodeCursor({ key: out.LastEvaluatedKey }) : null };
}

// ---- Added for referrals (issue 4): the referral holds change capacity in their own transactions.

/**
 * The placement item's key, for the referral data module (shared/data/referrals.ts), which
 * updates the holds and `capacity.occupied` in the same transaction as the referral.
 */
export function placementItemKey(placementId: string): { pk: string; sk: string } {
  return placementKeys.item(placementId);
}

/** The capacity history Put for a count changed by a referral (a placed youth occupies a bed). */
export function capacityHistoryPut(entry: CapacityHistoryEntry): TransactItem {
  return historyPut(entry);
}
