/**
 * Local mode keeps its data on disk: what was written before DynamoDB Local stopped is there after
 * it starts again on the same folder. This runs its own DynamoDB Local (not the run's in-memory
 * one) with `-dbPath` in a temporary folder.
 *
 * One test writes through the document client (the table definition and a raw item); the other
 * goes through the local server's HTTP routes (POST /providers, then GET /providers/{id}).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/data/client';
import { HarborTable } from '../../shared/data/table';
import type { DynamoDbLocal } from '../../scripts/dynamodb-local';
import { startDynamoDbLocal } from '../../scripts/dynamodb-local';
import { cognitoClaims, forgetSigningKey, signToken } from '../../scripts/local-auth';
import type { LocalServer } from '../../scripts/local-server';
import { createLocalServer } from '../../scripts/local-server';
import { ensureTable } from '../../scripts/local-table';
import { assertLocalEndpoint, uniqueTableName } from '../support/dynamodb';

describe('DynamoDB Local on disk', () => {
  let dbPath: string;
  let dataDir: string;
  let ddb: DynamoDbLocal | undefined;
  let doc: DynamoDBDocumentClient | undefined;

  async function start(): Promise<DynamoDBDocumentClient> {
    await stop();
    ddb = await startDynamoDbLocal({ port: 0, dbPath });
    assertLocalEndpoint(ddb.endpoint);
    doc = createDocumentClient({ endpoint: ddb.endpoint });
    return doc;
  }

  async function stop(): Promise<void> {
    doc?.destroy();
    doc = undefined;
    await ddb?.stop();
    ddb = undefined;
  }

  beforeAll(async () => {
    dbPath = await mkdtemp(join(tmpdir(), 'harbor-restart-'));
    dataDir = await mkdtemp(join(tmpdir(), 'harbor-restart-data-'));
  });

  afterAll(async () => {
    await stop();
    await forgetSigningKey(dataDir);
    await rm(dbPath, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the table and its items across a restart on the same dbPath', async () => {
    // Prepare
    const tableName = uniqueTableName();
    const item = { pk: 'TEST#restart', sk: 'ITEM#1', note: 'written before the restart', count: 3 };
    let client = await start();
    expect((await ensureTable(client, tableName)).created).toBe(true);
    await client.send(new PutCommand({ TableName: tableName, Item: item }));

    // Act
    await stop();
    expect((await readdir(dbPath)).some((f) => f.endsWith('.db'))).toBe(true);
    client = await start();

    // Assess
    const read = await client.send(new GetCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
    expect(read.Item).toEqual(item);
    expect((await ensureTable(client, tableName)).created).toBe(false);
    const table = (await (client as unknown as DynamoDBClient).send(new DescribeTableCommand({ TableName: tableName }))).Table;
    expect(table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(Object.values(HarborTable.indexes).map((i) => i.name).sort());
  });

  it('serves after a restart what was written through the HTTP API before it', async () => {
    // Prepare
    const tableName = uniqueTableName();
    await ensureTable(await start(), tableName);
    const token = await signToken(cognitoClaims({ sub: 'admin-restart', role: 'admin' }), { dataDir });
    let server: LocalServer = await createLocalServer({ port: 0, dataDir, tableName, endpoint: ddb!.endpoint, timers: false });
    const auth = { authorization: `Bearer ${token}` };
    const createdRes = await fetch(`${server.url}/providers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Restart House', statesServed: ['TX'] }),
    });
    expect(createdRes.status).toBe(201);
    const provider = (await createdRes.json()) as { id: string; name: string };

    // Act
    await server.close();
    await stop();
    await start();
    server = await createLocalServer({ port: 0, dataDir, tableName, endpoint: ddb!.endpoint, timers: false });
    try {
      const readRes = await fetch(`${server.url}/providers/${encodeURIComponent(provider.id)}`, { headers: auth });

      // Assess
      expect(readRes.status).toBe(200);
      expect(await readRes.json()).toEqual(provider);
    } finally {
      await server.close();
    }
  });
});
