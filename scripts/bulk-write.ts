/**
 * Bulk loading for the scripts that fill a table (the demo seed, the HSDS import): BatchWrite in
 * requests of 25, several in flight, retrying what DynamoDB leaves unprocessed with full-jitter
 * backoff. Not for the API: its writes are transactions with their audit records.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mapLimited } from '../shared/data/expressions';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Unprocessed items (or keys) are retried this many times, with exponential backoff, before giving up. */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 16, baseDelayMs: 50, maxDelayMs: 3_000 };

const BATCH_WRITE_SIZE = 25;
const DEFAULT_CONCURRENCY = 8;

/** Full jitter: a random wait up to the exponential bound spreads the retries of parallel workers. */
export function backoff(retry: RetryPolicy, attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt)));
}

type PutRequest = { PutRequest: { Item: Record<string, unknown> } };

/** One BatchWrite of at most 25 puts, retrying whatever DynamoDB leaves unprocessed. */
async function writeBatch(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[], retry: RetryPolicy): Promise<void> {
  let pending: PutRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) {
      if (attempt > retry.maxRetries) {
        throw new Error(`BatchWrite to ${tableName}: ${pending.length} item(s) still unprocessed after ${retry.maxRetries} retries.`);
      }
      await backoff(retry, attempt);
    }
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (out.UnprocessedItems?.[tableName] ?? []) as PutRequest[];
  }
}

/** Puts every item. Once one batch has failed for good the load has failed: the other workers stop taking batches. */
export async function putAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: Record<string, unknown>[],
  options: { concurrency?: number; retry?: Partial<RetryPolicy> } = {},
): Promise<void> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_WRITE_SIZE) batches.push(items.slice(i, i + BATCH_WRITE_SIZE));
  let failed = false;
  await mapLimited(batches, options.concurrency ?? DEFAULT_CONCURRENCY, async (batch) => {
    if (failed) return;
    try {
      await writeBatch(doc, tableName, batch, retry);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}
