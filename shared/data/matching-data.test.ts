import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy';
import { newAuditEntry } from './audit';
import { createDocumentClient, setDocumentClient } from './client';
import type { ConfirmationRequest } from './confirmation-requests';
import { clearConfirmationRequest, openConfirmationRequests, openRequestIds } from './confirmation-requests';
import type { MatchRecord } from './matches';
import { getMatchRecord, matchRecordPuts, RESULT_PART_BYTES, resultParts } from './matches';
import { writePolicy } from './policies';
import { unmetDemandPut } from './unmet-demand';

const ddb = mockClient(DynamoDBDocumentClient);
const actor = { sub: 'u-1', role: 'caseworker' as const, agencyId: 'ag-1', jurisdiction: [] };
const audit = (targetId: string) =>
  newAuditEntry({ actor, action: 'x.y', targetType: 't', targetId, changes: {}, requestId: 'r', at: '2026-11-21T12:00:00.000Z' });

const record: MatchRecord = {
  matchId: 'm-1',
  createdAt: '2026-11-21T12:00:00.000Z',
  expiresAt: '2026-11-24T12:00:00.000Z',
  policyVersion: 1,
  createdBy: 'u-1',
  createdByRole: 'caseworker',
  agencyId: 'ag-1',
  jurisdiction: [],
  inputs: {
    youth: { age: 15, gender: 'female', location: { zip: '78701' }, needs: [], languages: [], behaviors: [], keepAway: [], preferences: {} },
    options: { limit: 20, includeFull: false, explainExcluded: true, excludedLimit: 50 },
  },
  youthState: 'TX',
  results: [],
  counts: { candidates: 0, eligible: 0, eligibleWithOpenBed: 0, returned: 0, excluded: 0, excludedByRule: {} },
};

const request = (placementId: string): ConfirmationRequest => ({
  placementId,
  providerId: 'prov-1',
  placementName: `P ${placementId}`,
  state: 'TX',
  freshness: 'stale',
  countReportedAt: '2026-11-19T12:00:00.000Z',
  requestedAt: '2026-11-21T12:00:00.000Z',
  reason: 'match_relied_on_stale_count',
});

beforeEach(() => setDocumentClient(createDocumentClient({ region: 'us-east-1' })));
afterEach(() => {
  ddb.reset();
  setDocumentClient(undefined);
});

describe('match records', () => {
  /** A result whose JSON takes about `bytes`. */
  const result = (placementId: string, bytes: number) =>
    ({ placementId, name: 'x'.repeat(bytes), score: 0.5, components: {}, reasons: [], summary: '', wraparound: [] }) as unknown as MatchRecord['results'][number];

  it('are put with a TTL in epoch seconds and never overwrite another', () => {
    const [head, ...parts] = matchRecordPuts({ ...record, results: [result('p-1', 100)] });
    expect(head!.Put!.Item).toMatchObject({ pk: 'MATCH#m-1', sk: 'MATCH', ttl: Date.parse(record.expiresAt) / 1000, matchId: 'm-1', resultParts: 1 });
    expect(head!.Put!.Item).not.toHaveProperty('results');
    expect(parts.map((p) => p.Put!.Item)).toMatchObject([{ pk: 'MATCH#m-1', sk: 'RESULTS#000', ttl: Date.parse(record.expiresAt) / 1000 }]);
    for (const put of [head, ...parts]) expect(put!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('split their results into parts of at most RESULT_PART_BYTES, in order, so no item nears 400 KB', () => {
    const results = Array.from({ length: 100 }, (_, i) => result(`p-${i}`, 12_000));
    const parts = resultParts(results);
    expect(parts.flat()).toEqual(results);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(RESULT_PART_BYTES + 200);
    // A result never shares a part it would overflow, and none is left alone in one it would fit.
    for (const [i, part] of parts.slice(0, -1).entries()) {
      expect(Buffer.byteLength(JSON.stringify([...part, parts[i + 1]![0]]))).toBeGreaterThan(RESULT_PART_BYTES);
    }
    expect(resultParts([])).toEqual([]);
  });

  it('read back whole, parts in order, without keys, and are gone once retention passed even before the TTL sweep', async () => {
    // Prepare
    const results = Array.from({ length: 60 }, (_, i) => result(`p-${i}`, 12_000));
    const items = matchRecordPuts({ ...record, results }).map((p) => p.Put!.Item!);
    ddb.on(QueryCommand).resolves({ Items: items });
    // Act
    const before = await getMatchRecord('m-1', new Date('2026-11-22T00:00:00.000Z'));
    const after = await getMatchRecord('m-1', new Date('2026-11-24T12:00:01.000Z'));
    // Assess
    expect(before).toEqual({ ...record, results });
    expect(after).toBeUndefined();
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ ExpressionAttributeValues: { ':pk': 'MATCH#m-1' }, ConsistentRead: true });
  });

  it('refuse to read a record missing one of its parts rather than give a referral a shorter list', async () => {
    const results = Array.from({ length: 60 }, (_, i) => result(`p-${i}`, 12_000));
    const items = matchRecordPuts({ ...record, results }).map((p) => p.Put!.Item!);
    ddb.on(QueryCommand).resolves({ Items: items.slice(0, -1) });
    await expect(getMatchRecord('m-1', new Date('2026-11-22T00:00:00.000Z'))).rejects.toThrow(/result parts/);
  });
});

describe('confirmation requests', () => {
  it('clearing is an unconditional Delete of the placement’s request (a no-op when none is open)', () => {
    expect(clearConfirmationRequest('p-1')).toEqual({ Delete: { TableName: 'harbor-unit', Key: { pk: 'CAPREQ#p-1', sk: 'CAPREQ' } } });
  });

  it('finds which placements already have an open request, retrying unprocessed keys', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { 'harbor-unit': [{ placementId: 'a' }] }, UnprocessedKeys: { 'harbor-unit': { Keys: [{ pk: 'CAPREQ#b', sk: 'CAPREQ' }] } } })
      .resolvesOnce({ Responses: { 'harbor-unit': [{ placementId: 'b' }] } });
    expect(await openRequestIds(['a', 'b', 'c', 'a'])).toEqual(new Set(['a', 'b']));
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
  });

  it('opens each request with its audit record, and drops one another match opened meanwhile', async () => {
    const cancelled = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled).resolves({});
    const created = await openConfirmationRequests([
      { request: request('a'), audit: audit('a') },
      { request: request('b'), audit: audit('b') },
    ]);
    expect(created).toEqual(['a']);
    const second = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(second).toHaveLength(2);
    expect(second[0]!.Put).toMatchObject({
      Item: { pk: 'CAPREQ#a', gsi3pk: 'CAPREQ#OWNER#prov-1', gsi3sk: '2026-11-21T12:00:00.000Z#a' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(second[1]!.Put!.Item).toMatchObject({ entity: 'audit', targetId: 'a' });
  });
});

describe('policy writes', () => {
  it('the first stored policy must not exist yet; later ones must still be at the expected version', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await writePolicy({ ...DEFAULT_POLICY, version: 2 }, 1, true, audit('policy'));
    await writePolicy({ ...DEFAULT_POLICY, version: 3 }, 2, false, audit('policy'));
    const [first, second] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(first![0]!.Put).toMatchObject({ Item: { pk: 'POLICY', sk: 'CURRENT', version: 2 }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(first![1]!.Put!.Item).toMatchObject({ pk: 'POLICY', sk: 'VERSION#000000002' });
    expect(second![0]!.Put).toMatchObject({ ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': 2 } });
    expect(second![2]!.Put!.Item).toMatchObject({ entity: 'audit' });
  });
});

describe('unmet demand', () => {
  it('entries live in one partition per month, sorted by state', () => {
    const put = unmetDemandPut({ id: 'u', date: '2026-11-21', month: '2026-11', state: 'TX', ageBand: '14-15', gender: 'female', needs: [], candidates: 0, nearestRules: {} }).Put!;
    // The day, never the time of the match the entry came from.
    expect(put.Item).toMatchObject({ pk: 'UNMET#2026-11', sk: 'TX#2026-11-21#u', entity: 'unmet_demand' });
  });
});
