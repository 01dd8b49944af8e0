import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemoDirectory } from './load-demo';
import { buildDemoDirectory } from './demo-directory';
import { telehealthStates } from '../../shared/domain/matching/wraparound';

const NOW = new Date('2026-11-21T15:00:00.000Z');

describe('loadDemoDirectory', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const mock = mockClient(doc);
  afterEach(() => mock.reset());

  it('writes every item in batches of 25, retries unprocessed items, then records the import', async () => {
    const written = new Map<string, Record<string, unknown>>();
    const seenBatches = new Set<string>();
    let maxBatch = 0;
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> }) => {
      const requests = input.RequestItems.demo!;
      maxBatch = Math.max(maxBatch, requests.length);
      const first = `${String(requests[0]!.PutRequest.Item.pk)}`;
      // The first time a batch is seen, DynamoDB "throttles" its last three items.
      const unprocessed = !seenBatches.has(first) && requests.length > 3 ? requests.slice(-3) : [];
      seenBatches.add(first);
      for (const r of requests.slice(0, requests.length - unprocessed.length)) written.set(`${String(r.PutRequest.Item.pk)}|${String(r.PutRequest.Item.sk)}`, r.PutRequest.Item);
      return Promise.resolve({ UnprocessedItems: unprocessed.length > 0 ? { demo: unprocessed } : {} });
    });
    mock.on(PutCommand).resolves({});

    const counts = await loadDemoDirectory({ doc, tableName: 'demo', now: NOW });
    const d = buildDemoDirectory({ now: NOW });
    expect(counts).toStrictEqual({ providers: d.providers.length, placements: d.placements.length, services: d.services.length });
    expect(maxBatch).toBe(25);
    const reported = d.placements.filter((p) => p.capacity.updatedAt !== null).length;
    // Every object, plus one capacity history entry per count that was ever reported and one
    // telehealth listing per state an active service serves by video.
    const listings = d.services.filter((s) => s.active).reduce((n, s) => n + telehealthStates(s).length, 0);
    expect(listings).toBeGreaterThan(0);
    expect(written.size).toBe(d.providers.length + d.placements.length + reported + d.services.length + listings);
    expect([...written.values()].filter((i) => i.entity === 'telehealth_listing')).toHaveLength(listings);
    expect([...written.values()].filter((i) => i.entity === 'capacity_history')).toHaveLength(reported);
    expect(written.get('PROVIDER#prv-0001|PROVIDER')).toMatchObject({ entity: 'provider', id: 'prv-0001', gsi2pk: 'PROVIDERS' });
    expect(written.get('PLACEMENT#plc-00001|PLACEMENT')).toMatchObject({ entity: 'placement', id: 'plc-00001', gsi3pk: 'PLACEMENT#OWNER#prv-0001' });
    expect(written.get('SERVICE#svc-00001|SERVICE')).toMatchObject({ entity: 'service', id: 'svc-00001' });

    const puts = mock.commandCalls(PutCommand);
    expect(puts).toHaveLength(1);
    const audit = puts[0]!.args[0].input;
    expect(audit.TableName).toBe('demo');
    expect(audit.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(audit.Item).toMatchObject({
      entity: 'audit',
      action: 'directory.import',
      actor: 'system',
      role: 'admin',
      targetType: 'directory',
      targetId: 'demo',
      gsi2pk: 'AUDIT#TARGET#demo',
      gsi3pk: 'AUDIT#ACTOR#system',
      changes: {
        providers: { before: 0, after: counts.providers },
        placements: { before: 0, after: counts.placements },
        services: { before: 0, after: counts.services },
      },
    });
  });

  it('gives up with a clear error when items stay unprocessed', async () => {
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) =>
      Promise.resolve({ UnprocessedItems: { demo: input.RequestItems.demo } }),
    );
    await expect(
      loadDemoDirectory({ doc, tableName: 'demo', now: NOW, retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5 } }),
    ).rejects.toThrow(/still unprocessed after 3 retries/);
    expect(mock.commandCalls(PutCommand)).toHaveLength(0);
  });
});
