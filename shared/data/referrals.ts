import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from './batch-get';
import type { ReferralYouthDetails } from '../domain/referrals/packet';
import type { Referral } from '../domain/referrals/referral';
import { nextDueAt, siblingSweepDueAt } from '../domain/referrals/referral';
import type { HistoryStep, OpenStatus } from '../domain/referrals/state-machine';
import type { AuditEntry } from './audit';
import { auditPut } from './audit';
import { indexPartitionQuery, queryAll } from './query-all';
import { documentClient, tableName } from './client';
import type { Page } from './cursor';
import { badCursor, decodeCursor, encodeCursor } from './cursor';
import type { CapacityHistoryEntry } from './placements';
import { matchCountOf } from './match-cards';
import { reportTimeSortKey } from './report-time-index';
import { capacityHistoryPut, placementItemKey } from './placements';
import { providerNotInactiveCheck } from './providers';
import { HarborTable } from './table';
import type { TransactItem } from './transact';
import { transactWrite } from './transact';

/**
 * Referrals. Each referral is a small item collection under `REFERRAL#<id>`:
 *
 * | sk                  | what                                   | gsi1                     | gsi2                       | gsi3                     |
 * |---------------------|----------------------------------------|--------------------------|----------------------------|--------------------------|
 * | `REFERRAL`          | the referral (status, history, times)  | due work, while open     | by placement               | by provider              |
 * | `SCOPE`             | static pointer for the referring side  | by referrer (agency)     | by the placement's state   | all referrals (admin)    |
 * | `SCOPE#YOUTH_STATE` | pointer, only if the youth's state differs | —                    | by the youth's state       | —                        |
 * | `YOUTH`             | the youth's details; TTL once closed   | the youth's open referrals | —                        | —                        |
 *
 * Every index partition key starts `REFERRAL#<kind>#`, which no other entity uses (placements
 * and services use `PLACEMENT#`/`SERVICE#`, audit `AUDIT#`). Sort keys are `<time>#<id>`.
 * docs/data-model.md lists each access pattern with its key condition.
 */
const referralKeys = {
  item: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'REFERRAL' }),
  scope: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'SCOPE' }),
  youthStateScope: (id: string) => ({ pk: `REFERRAL#${id}`, sk: YOUTH_STATE_SCOPE_SK }),
  youth: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'YOUTH' }),
  /** Open referrals by the next moment the expiry job must look at them. */
  due: (status: DueStatus) => `REFERRAL#DUE#${status}`,
  byPlacement: (placementId: string) => `REFERRAL#PLACEMENT#${placementId}`,
  byProvider: (providerId: string) => `REFERRAL#PROVIDER#${providerId}`,
  byReferrer: (scope: string) => `REFERRAL#REFERRER#${scope}`,
  byState: (state: string) => `REFERRAL#STATE#${state}`,
  all: () => 'REFERRAL#ALL',
  /** A youth's open referrals: the youth key is a hash of the referrer scope and case reference. */
  byYouth: (youthKey: string) => `REFERRAL#YOUTH#${youthKey}`,
  sort: (time: string, id: string) => `${time}#${id}`,
};

const YOUTH_STATE_SCOPE_SK = 'SCOPE#YOUTH_STATE';

/**
 * The due partitions: requested (escalate, expire), accepted (lapse the hold) and placed (the
 * youth's other referrals still to withdraw: set by the place transaction, cleared once done).
 */
export type DueStatus = 'requested' | 'accepted' | 'placed';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity'];
const { byCell: DUE_INDEX, byState: SECOND_INDEX, byOwner: THIRD_INDEX } = HarborTable.indexes;

function referralFromItem(item: Record<string, unknown>): Referral {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as unknown as Referral;
}

function dueKeys(r: Referral): { gsi1pk: string; gsi1sk: string } | undefined {
  const due = nextDueAt(r);
  if (due === undefined) return undefined;
  return { gsi1pk: referralKeys.due(r.status as DueStatus), gsi1sk: referralKeys.sort(due, r.id) };
}

function referralItem(r: Referral): Record<string, unknown> {
  const listSort = referralKeys.sort(r.createdAt, r.id);
  return {
    ...referralKeys.item(r.id),
    ...dueKeys(r),
    gsi2pk: referralKeys.byPlacement(r.placementId),
    gsi2sk: listSort,
    gsi3pk: referralKeys.byProvider(r.providerId),
    gsi3sk: listSort,
    entity: 'referral',
    ...r,
  };
}

/** The pointer items that put a referral in the referrer's, the states' and the admin's lists. */
function scopeItems(r: Referral): Record<string, unknown>[] {
  const listSort = referralKeys.sort(r.createdAt, r.id);
  const pointer = { entity: 'referral_scope', referralId: r.id, placementState: r.placementState, youthState: r.youthState };
  const items: Record<string, unknown>[] = [
    {
      ...referralKeys.scope(r.id),
      gsi1pk: referralKeys.byReferrer(r.referrerScope),
      gsi1sk: listSort,
      gsi2pk: referralKeys.byState(r.placementState),
      gsi2sk: listSort,
      gsi3pk: referralKeys.all(),
      gsi3sk: listSort,
      ...pointer,
    },
  ];
  // A coordinator of the youth's state oversees the referral too; one pointer per extra state,
  // so a coordinator of both states finds it once in each state's partition (listing dedups).
  if (r.youthState !== r.placementState) {
    items.push({ ...referralKeys.youthStateScope(r.id), gsi2pk: referralKeys.byState(r.youthState), gsi2sk: listSort, ...pointer });
  }
  return items;
}

function youthItem(r: Referral, details: ReferralYouthDetails, youthKey: string): Record<string, unknown> {
  return {
    ...referralKeys.youth(r.id),
    gsi1pk: referralKeys.byYouth(youthKey),
    gsi1sk: referralKeys.sort(r.createdAt, r.id),
    entity: 'referral_youth',
    referralId: r.id,
    youthKey,
    ...details,
  };
}

/**
 * Creates a referral, its pointers, the youth's details and the audit record, all or nothing.
 * `claim` (an idempotency record's conditional Put) goes first, so a condition failure at index 0
 * means the key was used.
 */
export async function insertReferral(input: {
  referral: Referral;
  details: ReferralYouthDetails;
  youthKey: string;
  claim?: TransactItem;
  audit: AuditEntry;
}): Promise<void> {
  const { referral } = input;
  await transactWrite([
    ...(input.claim ? [input.claim] : []),
    { Put: { TableName: tableName(), Item: referralItem(referral), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...scopeItems(referral).map((Item) => ({ Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' } })),
    { Put: { TableName: tableName(), Item: youthItem(referral, input.details, input.youthKey), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(input.audit),
  ]);
}

/**
 * Every item of a new referral, for bulk loading (demo data, load tests, benchmarks) with
 * BatchWriteItem, where one transaction per referral would be needlessly slow. The API never uses
 * it: `insertReferral` is the only path that claims an idempotency key and writes the audit record.
 */
export function referralItems(referral: Referral, details: ReferralYouthDetails, youthKey: string): Record<string, unknown>[] {
  return [referralItem(referral), ...scopeItems(referral), youthItem(referral, details, youthKey)];
}

// ---------------------------------------------------------------------------------------------
// Transitions. Each is one transaction whose referral update is conditioned on the status it
// starts from and on the deadline (an answer must come before it, an expiry after it), so two
// concurrent transitions can never both succeed.

/** A transition of the referral item: the state machine's result plus the fields it sets. */
export interface ReferralChange {
  before: Referral;
  from: OpenStatus;
  step: HistoryStep;
  /** The referral after the change (status, fields, updatedAt, version already applied). */
  after: Referral;
  /** `answer`: allowed only before the deadline of `from`; `lapse`: only after it (expiry). */
  timing: 'answer' | 'lapse';
  now: string;
}

/** Fields of the referral item that transitions may set (everything but identity and history). */
const SETTABLE: readonly (keyof Referral)[] = [
  'updatedAt',
  'holdExpiresAt',
  'closedAt',
  'decline',
  'withdrawReason',
  'expireReason',
  'escalated',
  'escalatedAt',
  'version',
];

function referralUpdate(change: ReferralChange, extraDue?: { status: DueStatus; at: string }): TransactItem {
  const { before, after, from, step } = change;
  const names: Record<string, string> = { '#history': 'history', '#status': 'status' };
  const values: Record<string, unknown> = { ':steps': [step], ':from': from, ':to': after.status, ':now': change.now };
  const sets: string[] = ['#status = :to', '#history = list_append(#history, :steps)'];
  SETTABLE.forEach((field, i) => {
    if (JSON.stringify(before[field]) === JSON.stringify(after[field])) return;
    names[`#s${i}`] = field;
    values[`:s${i}`] = after[field];
    sets.push(`#s${i} = :s${i}`);
  });
  const due = extraDue ? { gsi1pk: referralKeys.due(extraDue.status), gsi1sk: referralKeys.sort(extraDue.at, after.id) } : dueKeys(after);
  if (due) {
    values[':duePk'] = due.gsi1pk;
    values[':dueSk'] = due.gsi1sk;
    sets.push('gsi1pk = :duePk', 'gsi1sk = :dueSk');
  }
  const deadline = from === 'requested' ? 'respondBy' : 'holdExpiresAt';
  names['#deadline'] = deadline;
  return {
    Update: {
      TableName: tableName(),
      Key: referralKeys.item(after.id),
      UpdateExpression: `SET ${sets.join(', ')}${due ? '' : ' REMOVE gsi1pk, gsi1sk'}`,
      ConditionExpression: `#status = :from AND #deadline ${change.timing === 'answer' ? '>' : '<='} :now`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Closing a referral starts its youth details' retention clock and drops it from the youth's open list. */
function youthClosingUpdate(referralId: string, purgeAt: number, notes: { declineNote?: string; withdrawNote?: string }): TransactItem {
  const names: Record<string, string> = { '#ttl': HarborTable.ttlAttribute };
  const values: Record<string, unknown> = { ':ttl': purgeAt };
  const sets = ['#ttl = :ttl'];
  for (const [field, note] of Object.entries(notes)) {
    if (note === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = note;
    sets.push(`#${field} = :${field}`);
  }
  return {
    Update: {
      TableName: tableName(),
      Key: referralKeys.youth(referralId),
      UpdateExpression: `SET ${sets.join(', ')} REMOVE gsi1pk, gsi1sk`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Gives the bed back: removes the referral's hold (a no-op if it is already gone). */
function releaseHoldUpdate(placementId: string, referralId: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: placementItemKey(placementId),
      UpdateExpression: 'REMOVE #holds.#rid',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#holds': 'holds', '#rid': referralId },
    },
  };
}

/**
 * Accept: holds a bed and moves the referral to accepted, in one transaction with its audit.
 *
 * The hold is added only if the placement still exists and is active, its provider has not been
 * made inactive (the referral's `providerId` is its placement's, which never changes), its
 * capacity is still at the version read (`total` and `occupied` are those the caller saw), fewer
 * than `total − occupied` holds are stored (lapsed holds removed here are added back to the
 * limit; each must still exist, so `size(holds)` is exact), and this referral holds nothing yet.
 */
export async function holdBed(input: {
  change: ReferralChange;
  capacity: { expectedVersion: number; total: number; occupied: number; lapsedHoldIds: string[] };
  audit: AuditEntry;
}): Promise<void> {
  const { change, capacity } = input;
  const referral = change.after;
  const lapsedNames = Object.fromEntries(capacity.lapsedHoldIds.map((id, i) => [`#lapsed${i}`, id]));
  const lapsedPaths = Object.keys(lapsedNames).map((name) => `#holds.${name}`);
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: placementItemKey(referral.placementId),
        UpdateExpression: `SET #holds.#rid = :expires${lapsedPaths.length > 0 ? ` REMOVE ${lapsedPaths.join(', ')}` : ''}`,
        ConditionExpression: [
          'attribute_exists(pk)',
          '#active = :true',
          '#capacity.#version = :version',
          'size(#holds) < :limit',
          'attribute_not_exists(#holds.#rid)',
          ...lapsedPaths.map((path) => `attribute_exists(${path})`),
        ].join(' AND '),
        ExpressionAttributeNames: {
          '#active': 'active',
          '#capacity': 'capacity',
          '#holds': 'holds',
          '#version': 'version',
          '#rid': referral.id,
          ...lapsedNames,
        },
        ExpressionAttributeValues: {
          ':expires': referral.holdExpiresAt,
          ':true': true,
          ':version': capacity.expectedVersion,
          ':limit': capacity.total - capacity.occupied + capacity.lapsedHoldIds.length,
        },
      },
    },
    referralUpdate(change),
    auditPut(input.audit),
    providerNotInactiveCheck(referral.providerId),
  ]);
}

/** Where each item sits in the place transaction. */
export const PLACE_ITEMS = { placement: 0, referral: 2 } as const;

/**
 * Place: the held bed becomes an occupied one. The hold must still be there and not lapsed, and
 * capacity must be at the version read (occupied changes, so the version is bumped and a history
 * entry written, as for a provider's own update). The referral is marked for the sibling sweep
 * (`REFERRAL#DUE#placed`) in the same transaction, so a crash before the youth's other referrals
 * are withdrawn is repaired by the expiry job.
 */
export async function occupyHeldBed(input: {
  change: ReferralChange;
  /** `total` and `occupied` as read at `expectedVersion`. */
  capacity: { expectedVersion: number; total: number; occupied: number; at: string; by: string };
  history: CapacityHistoryEntry;
  youthPurgeAt: number;
  audit: AuditEntry;
}): Promise<void> {
  const { change, capacity } = input;
  const referral = change.after;
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: placementItemKey(referral.placementId),
        UpdateExpression:
          'SET #capacity.#occupied = #capacity.#occupied + :one, #capacity.#version = :next, #capacity.#updatedAt = :at, #capacity.#updatedBy = :by, ' +
          '#matchCount = :matchCount, #reported = :reported REMOVE #holds.#rid',
        ConditionExpression: 'attribute_exists(pk) AND #capacity.#version = :version AND #holds.#rid > :now',
        ExpressionAttributeNames: {
          '#capacity': 'capacity',
          '#occupied': 'occupied',
          '#version': 'version',
          '#updatedAt': 'updatedAt',
          '#updatedBy': 'updatedBy',
          '#holds': 'holds',
          '#matchCount': 'matchCount',
          '#reported': 'gsi5sk',
          '#rid': referral.id,
        },
        ExpressionAttributeValues: {
          ':one': 1,
          // The counts read at this version, which the condition pins: the copy is exact.
          ':matchCount': matchCountOf({ total: capacity.total, occupied: capacity.occupied + 1, updatedAt: capacity.at }),
          // The placement's place in the stale-count list's index: counted just now.
          ':reported': reportTimeSortKey(capacity.at, referral.placementId),
          ':version': capacity.expectedVersion,
          ':next': capacity.expectedVersion + 1,
          ':at': capacity.at,
          ':by': capacity.by,
          ':now': change.now,
        },
      },
    },
    capacityHistoryPut(input.history),
    referralUpdate(change, { status: 'placed', at: siblingSweepDueAt(capacity.at) }),
    youthClosingUpdate(referral.id, input.youthPurgeAt, {}),
    auditPut(input.audit),
  ]);
}

/**
 * Decline, withdraw or expire: the referral closes, any hold it had is released, the youth's
 * details start their retention clock, all in one transaction with the audit record.
 */
export async function closeReferral(input: {
  change: ReferralChange;
  youthPurgeAt: number;
  notes?: { declineNote?: string; withdrawNote?: string };
  audit: AuditEntry;
}): Promise<void> {
  const { change } = input;
  const referral = change.after;
  await transactWrite([
    referralUpdate(change),
    ...(change.from === 'accepted' ? [releaseHoldUpdate(referral.placementId, referral.id)] : []),
    youthClosingUpdate(referral.id, input.youthPurgeAt, input.notes ?? {}),
    auditPut(input.audit),
  ]);
}

/** Flags a requested referral for the coordinator; its next due time becomes its expiry. */
export async function flagEscalated(input: { referral: Referral; at: string; audit: AuditEntry }): Promise<void> {
  const { referral, at } = input;
  const next: Referral = { ...referral, escalated: true, escalatedAt: at };
  const due = dueKeys(next)!;
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: referralKeys.item(referral.id),
        UpdateExpression: 'SET #escalated = :true, #escalatedAt = :at, #version = #version + :one, gsi1sk = :dueSk',
        ConditionExpression: '#status = :requested AND #escalated = :false',
        ExpressionAttributeNames: { '#escalated': 'escalated', '#escalatedAt': 'escalatedAt', '#version': 'version', '#status': 'status' },
        ExpressionAttributeValues: { ':true': true, ':false': false, ':at': at, ':one': 1, ':dueSk': due.gsi1sk, ':requested': 'requested' },
      },
    },
    auditPut(input.audit),
  ]);
}

/** The youth's other referrals have been withdrawn: the placed referral leaves the sweep partition. */
export async function markSiblingsSwept(input: { referralId: string; audit: AuditEntry }): Promise<void> {
  await transactWrite([
    {
      Update: {
        TableName: tableName(),
        Key: referralKeys.item(input.referralId),
        UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#status = :placed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':placed': 'placed' },
      },
    },
    auditPut(input.audit),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Reads.

export async function getReferral(id: string, options: { consistent?: boolean } = {}): Promise<Referral | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: referralKeys.item(id), ConsistentRead: options.consistent ?? false }),
  );
  return out.Item ? referralFromItem(out.Item) : undefined;
}

/** The youth's details, or undefined once purged (TTL) — the referral itself remains. */
export async function getReferralYouth(id: string): Promise<{ details: ReferralYouthDetails; youthKey: string } | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: referralKeys.youth(id), ConsistentRead: true }));
  if (!out.Item) return undefined;
  // DynamoDB deletes expired items lazily; past its TTL the record counts as purged.
  const ttl = out.Item[HarborTable.ttlAttribute] as number | undefined;
  if (ttl !== undefined && ttl * 1000 <= Date.now()) return undefined;
  const { youth, note, match, declineNote, withdrawNote, youthKey } = out.Item;
  return {
    details: {
      youth,
      note: note ?? null,
      match: match ?? null,
      declineNote: declineNote ?? null,
      withdrawNote: withdrawNote ?? null,
    } as ReferralYouthDetails,
    youthKey: youthKey as string,
  };
}

/**
 * Ids of the youth's referrals still open (requested or accepted) that were created at or before
 * `createdUpTo`, oldest first. (The index is eventually consistent in AWS; the expiry job's pass
 * after the grace period catches a referral this read missed.)
 */
export async function openReferralIdsOfYouth(youthKey: string, createdUpTo: string): Promise<string[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: DUE_INDEX.name,
    KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
    ExpressionAttributeNames: { '#pk': DUE_INDEX.partitionKey, '#sk': DUE_INDEX.sortKey },
    ExpressionAttributeValues: { ':pk': referralKeys.byYouth(youthKey), ':upTo': `${createdUpTo}#\uffff` },
  });
  return items.map((item) => item.referralId as string);
}

/**
 * Open referrals of `status` whose next due time is at or before `now`, soonest first: the
 * expiry job's work list. Reads at most `max` items (the job runs again in five minutes).
 */
export async function dueReferrals(status: DueStatus, now: Date, max: number): Promise<Referral[]> {
  const out: Referral[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: DUE_INDEX.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :bound',
        ExpressionAttributeNames: { '#pk': DUE_INDEX.partitionKey, '#sk': DUE_INDEX.sortKey },
        // `<time>#<id>`: every id sorts below U+FFFF, so this bound includes all items due at `now`.
        ExpressionAttributeValues: { ':pk': referralKeys.due(status), ':bound': `${now.toISOString()}#\uffff` },
        Limit: Math.min(100, max - out.length),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    out.push(...(page.Items ?? []).map(referralFromItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey && out.length < max);
  return out;
}

/** Main referral items by id, in the order asked (missing ones left out). */
async function batchGetReferrals(ids: string[]): Promise<Map<string, Referral>> {
  const found = new Map<string, Referral>();
  for (const item of await batchGetItems(ids.map((id) => referralKeys.item(id)))) {
    const r = referralFromItem(item);
    found.set(r.id, r);
  }
  return found;
}

/** A list partition: each access pattern of GET /referrals reads one or more of these. */
export type ReferralPartition =
  | { kind: 'placement'; placementId: string }
  | { kind: 'provider'; providerId: string }
  | { kind: 'referrer'; scope: string }
  | { kind: 'state'; state: string }
  | { kind: 'all' }
  | { kind: 'requested' };

interface PartitionQuery {
  index: { name: string; partitionKey: string; sortKey: string };
  pk: string;
  /** Lists read newest first; the open-requested partition soonest due first. */
  forward: boolean;
  /** The partition holds pointer items: the referrals are fetched by id. */
  pointers: boolean;
}

function partitionQuery(p: ReferralPartition): PartitionQuery {
  switch (p.kind) {
    case 'placement':
      return { index: SECOND_INDEX, pk: referralKeys.byPlacement(p.placementId), forward: false, pointers: false };
    case 'provider':
      return { index: THIRD_INDEX, pk: referralKeys.byProvider(p.providerId), forward: false, pointers: false };
    case 'referrer':
      return { index: DUE_INDEX, pk: referralKeys.byReferrer(p.scope), forward: false, pointers: true };
    case 'state':
      return { index: SECOND_INDEX, pk: referralKeys.byState(p.state), forward: false, pointers: true };
    case 'all':
      return { index: THIRD_INDEX, pk: referralKeys.all(), forward: false, pointers: true };
    case 'requested':
      return { index: DUE_INDEX, pk: referralKeys.due('requested'), forward: true, pointers: false };
  }
}

export interface ReferralPageRequest {
  /** Read in this order; the cursor remembers which partition and where in it. */
  partitions: ReferralPartition[];
  limit: number;
  cursor?: string;
  /**
   * Keeps the referrals the caller may see and asked for. `viaYouthState` is true when the entry
   * came from the youth's-state pointer (a coordinator of both states skips it: already listed).
   */
  keep: (referral: Referral, entry: { viaYouthState: boolean }) => boolean;
}

/**
 * One page of referrals across `partitions`, filtered by `keep`, filled up to `limit`. The cursor
 * is the partition's position and the key of the last entry examined, so a page cut short by
 * `limit` resumes right after it; a cursor naming another partition is refused.
 */
export async function referralPage(req: ReferralPageRequest): Promise<Page<Referral>> {
  let part = 0;
  let startKey: Record<string, unknown> | undefined;
  if (req.cursor) {
    const position = decodeCursor(req.cursor);
    part = typeof position.p === 'number' && Number.isInteger(position.p) ? position.p : -1;
    startKey = position.key as Record<string, unknown> | undefined;
    const q = req.partitions[part];
    if (!q) throw badCursor();
    const { index, pk } = partitionQuery(q);
    if (startKey && startKey[index.partitionKey] !== pk) throw badCursor();
  }

  const items: Referral[] = [];
  while (items.length < req.limit && part < req.partitions.length) {
    const q = partitionQuery(req.partitions[part]!);
    const page = await documentClient().send(
      new QueryCommand({
        ...indexPartitionQuery(q.index, q.pk),
        ScanIndexForward: q.forward,
        Limit: Math.max(25, req.limit * 2),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const entries = page.Items ?? [];
    const resolved = q.pointers ? await batchGetReferrals(entries.map((e) => e.referralId as string)) : undefined;
    let stoppedInside = false;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      startKey = { pk: entry.pk, sk: entry.sk, [q.index.partitionKey]: entry[q.index.partitionKey], [q.index.sortKey]: entry[q.index.sortKey] };
      const referral = resolved ? resolved.get(entry.referralId as string) : referralFromItem(entry);
      if (referral && req.keep(referral, { viaYouthState: entry.sk === YOUTH_STATE_SCOPE_SK })) items.push(referral);
      if (items.length === req.limit) {
        stoppedInside = i < entries.length - 1;
        break;
      }
    }
    if (!page.LastEvaluatedKey && !stoppedInside) {
      part += 1;
      startKey = undefined;
    }
  }
  const more = part < req.partitions.length;
  return { items, nextCursor: more ? encodeCursor({ p: part, ...(startKey ? { key: startKey } : {}) }) : null };
}
