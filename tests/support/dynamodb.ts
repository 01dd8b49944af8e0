/**
 * Small DynamoDB helpers for integration tests: a guard that keeps tests off anything but a local
 * emulator, unique table names, and scans for assertions (never for application logic).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Throws unless the endpoint is an http(s) URL on this machine: tests never touch real AWS. */
export function assertLocalEndpoint(endpoint: string | undefined): asserts endpoint is string {
  let url: URL;
  try {
    url = new URL(endpoint ?? '');
  } catch {
    throw new Error(`Refusing DynamoDB endpoint "${endpoint}": integration tests only run against DynamoDB Local (http://localhost:<port>).`);
  }
  if (!LOCAL_HOSTS.has(url.hostname) || !/^https?:$/.test(url.protocol)) {
    throw new Error(`Refusing DynamoDB endpoint "${endpoint}": integration tests only run against DynamoDB Local on localhost or 127.0.0.1.`);
  }
}

/** `harbor-test-<random>`: one table per test file (or per harbor), so runs never share data. */
export function uniqueTableName(prefix = 'harbor-test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Every item of the table, optionally only those whose `pk` starts with `pkPrefix` (Scan: assertions only). */
export async function scanItems(doc: DynamoDBDocumentClient, tableName: string, pkPrefix?: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        ExclusiveStartKey: startKey,
        ...(pkPrefix === undefined
          ? {}
          : { FilterExpression: 'begins_with(#pk, :prefix)', ExpressionAttributeNames: { '#pk': 'pk' }, ExpressionAttributeValues: { ':prefix': pkPrefix } }),
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** How many items the table holds, optionally only those whose `pk` starts with `pkPrefix`. */
export async function countItems(doc: DynamoDBDocumentClient, tableName: string, pkPrefix?: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
        ...(pkPrefix === undefined
          ? {}
          : { FilterExpression: 'begins_with(#pk, :prefix)', ExpressionAttributeNames: { '#pk': 'pk' }, ExpressionAttributeValues: { ':prefix': pkPrefix } }),
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** Drops a test table; a table that is already gone is fine. */
export async function deleteTable(doc: DynamoDBDocumentClient | DynamoDBClient, tableName: string): Promise<void> {
  try {
    await (doc as DynamoDBClient).send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
