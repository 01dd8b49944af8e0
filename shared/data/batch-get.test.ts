import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchGetItems } from './batch-get';
import { createDocumentClient, setDocumentClient } from './client';

const ddb = mockClient(DynamoDBDocumentClient);
const key = (i: number) => ({ pk: `K#${i}`, sk: 'K' });
type Keys = { Keys: Record<string, unknown>[]; ProjectionExpression?: string };
const keysAsked = (call: number) => (ddb.commandCalls(BatchGetCommand)[call]!.args[0].input.RequestItems!['harbor-unit'] as Keys).Keys;

beforeEach(() => setDocumentClient(createDocumentClient({ region: 'us-east-1' })));
afterEach(() => {
  ddb.reset();
  setDocumentClient(undefined);
});

describe('batchGetItems', () => {
  it('asks for at most 100 keys a request and returns every item found', async () => {
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, Keys> }) => ({ Responses: { 'harbor-unit': input.RequestItems['harbor-unit']!.Keys.map((k) => ({ ...k, found: true })) } }));
    const items = await batchGetItems(Array.from({ length: 250 }, (_, i) => key(i)), { projection: 'pk, found' });
    expect(items).toHaveLength(250);
    expect([0, 1, 2].map((c) => keysAsked(c).length)).toStrictEqual([100, 100, 50]);
    expect((ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['harbor-unit'] as Keys).ProjectionExpression).toBe('pk, found');
  });

  it('asks for a key named more than once only once (BatchGetItem refuses a request naming one twice)', async () => {
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, Keys> }) => ({ Responses: { 'harbor-unit': input.RequestItems['harbor-unit']!.Keys } }));
    expect(await batchGetItems([key(1), key(2), { sk: 'K', pk: 'K#1' }, key(2)])).toStrictEqual([key(1), key(2)]);
    expect(keysAsked(0)).toStrictEqual([key(1), key(2)]);
  });

  it('asks again for the keys handed back unprocessed, and only for those', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { 'harbor-unit': [key(1)] }, UnprocessedKeys: { 'harbor-unit': { Keys: [key(2)] } } })
      .resolvesOnce({ Responses: { 'harbor-unit': [key(2)] } });
    expect(await batchGetItems([key(1), key(2)])).toStrictEqual([key(1), key(2)]);
    expect(keysAsked(1)).toStrictEqual([key(2)]);
  });

  it('fails, rather than leave a gap, when keys are still unprocessed after five requests', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'harbor-unit': [] }, UnprocessedKeys: { 'harbor-unit': { Keys: [key(1)] } } });
    await expect(batchGetItems([key(1)])).rejects.toThrow('BatchGetItem left 1 keys unprocessed after 5 requests');
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(5);
  });
});
