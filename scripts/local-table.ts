import type { DynamoDBClient, Projection, TableDescription } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInput, HarborTable } from '../shared/data/table';

const ACTIVE_TIMEOUT_MS = 60_000;

/** Either client works: a document client passes the table commands through unchanged. */
export type TableAdminClient = DynamoDBClient | DynamoDBDocumentClient;

/**
 * Creates Harbor's table from the one shared definition (`createTableInput`) if it does not
 * exist, turns on TTL as the CDK stack does, and resolves once the table and its indexes are
 * ACTIVE. Returns whether it created the table. Safe against a concurrent creator.
 */
export async function ensureTable(client: TableAdminClient, tableName: string): Promise<{ created: boolean }> {
  // The document client's `send` accepts the low-level commands; the cast only widens its types.
  const raw = client as DynamoDBClient;
  let created = false;
  if (!(await describe(raw, tableName))) {
    try {
      await raw.send(new CreateTableCommand(createTableInput(tableName)));
      created = true;
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await waitUntilActive(raw, tableName);
  if (!created) await addMissingIndexes(raw, tableName);
  if (created) {
    await raw.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: HarborTable.ttlAttribute, Enabled: true },
      }),
    );
  }
  return { created };
}

/**
 * A data folder made before an index was added to the definition (gsi4, for matching) gets it
 * here, and one made when an index projected other attributes gets it rebuilt (a projection
 * cannot be changed in place): one index change at a time, as DynamoDB requires; DynamoDB Local
 * backfills a new index from the items.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const wanted = createTableInput(tableName);
  for (const index of wanted.GlobalSecondaryIndexes) {
    const existing = (await describe(client, tableName))?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.IndexName);
    if (existing && sameProjection(existing.Projection, index.Projection)) continue;
    if (existing) {
      await client.send(new UpdateTableCommand({ TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }] }));
      await waitUntilGone(client, tableName, index.IndexName);
    }
    const keyNames = new Set(index.KeySchema.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions.filter((a) => keyNames.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await waitUntilActive(client, tableName);
  }
}

function sameProjection(a: Projection | undefined, b: Projection): boolean {
  const attributes = (p: Projection | undefined) => [...(p?.NonKeyAttributes ?? [])].sort().join(',');
  return a?.ProjectionType === b.ProjectionType && attributes(a) === attributes(b);
}

async function waitUntilGone(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  while ((await describe(client, tableName))?.GlobalSecondaryIndexes?.some((i) => i.IndexName === indexName)) {
    if (Date.now() > deadline) throw new Error(`Index ${indexName} of ${tableName} is not deleted after ${ACTIVE_TIMEOUT_MS / 1000} s.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describe(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(`Table ${tableName} is not ACTIVE after ${ACTIVE_TIMEOUT_MS / 1000} s (status ${table?.TableStatus ?? 'missing'}).`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
