import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, setDocumentClient } from '../data/client';
import type { CountToConfirm } from '../domain/matching/rank-placements';
import { chaseStaleCounts } from './capacity-requests';

const ddb = mockClient(DynamoDBDocumentClient);
const meta = { actor: { sub: 'cw-1', role: 'caseworker' as const, agencyId: 'ag', jurisdiction: [] }, requestId: 'r-1', now: new Date('2026-11-21T12:00:00.000Z') };
const count = (placementId: string, countReportedAt: string | null): CountToConfirm => ({
  placementId,
  providerId: 'prov-1',
  name: `P ${placementId}`,
  state: 'TX',
  freshness: countReportedAt ? 'stale' : 'unknown',
  countReportedAt,
});

beforeEach(() => setDocumentClient(createDocumentClient({ region: 'us-east-1' })));
afterEach(() => {
  ddb.reset();
  setDocumentClient(undefined);
});

describe('chaseStaleCounts', () => {
  it('opens a request where none is open, none where one is open about this count, and replaces an answered one', async () => {
    // Prepare: `open` has a request about its current count; `answered` has one about an older count.
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        'harbor-unit': [
          { placementId: 'open', countReportedAt: '2026-11-19T00:00:00.000Z' },
          { placementId: 'answered', countReportedAt: '2026-11-01T00:00:00.000Z' },
        ],
      },
    });
    ddb.on(TransactWriteCommand).resolves({});
    // Act
    const opened = await chaseStaleCounts(
      [count('new', null), count('open', '2026-11-19T00:00:00.000Z'), count('answered', '2026-11-18T00:00:00.000Z'), count('new', null)],
      meta,
    );
    // Assess
    expect(opened).toBe(2);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const puts = items.filter((i) => i.Put?.Item?.entity === 'capacity_request').map((i) => i.Put!);
    expect(puts.map((p) => p.Item!.placementId)).toEqual(['new', 'answered']);
    expect(puts[0]!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(puts[1]).toMatchObject({ ConditionExpression: 'countReportedAt = :was', ExpressionAttributeValues: { ':was': '2026-11-01T00:00:00.000Z' } });
    expect(items.filter((i) => i.Put?.Item?.entity === 'audit').map((i) => i.Put!.Item!.action)).toEqual(['capacity_request.open', 'capacity_request.open']);
  });

  it('never fails the match: a DynamoDB error is logged and nothing is opened', async () => {
    ddb.on(BatchGetCommand).rejects(new Error('throttled'));
    expect(await chaseStaleCounts([count('x', null)], meta)).toBe(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('does nothing when the match relied on no stale count', async () => {
    expect(await chaseStaleCounts([], meta)).toBe(0);
    expect(ddb.calls()).toHaveLength(0);
  });
});
