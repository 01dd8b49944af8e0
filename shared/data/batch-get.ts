import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client';
import { HarborTable } from './table';

/** BatchGetItem takes at most this many keys per request. */
const KEYS_PER_REQUEST = 100;
/** Requests per batch before keys DynamoDB keeps handing back unprocessed are an error. */
const ATTEMPTS = 5;
const FIRST_RETRY_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same item's keys, however they were built: BatchGetItem refuses a request naming one twice. */
const keyString = (key: Record<string, unknown>) => `${String(key[HarborTable.partitionKey])}|${String(key[HarborTable.sortKey])}`;

/**
 * The table's items at `keys` (those that exist, each once, in no particular order), a hundred
 * keys per request; a key named more than once is asked for once. Under load DynamoDB answers
 * part of a batch and hands the rest back as unprocessed keys, which the SDK does not retry: they
 * are asked for again after a wait that doubles each time, and keys still unprocessed after five
 * requests are an error, never a silent gap.
 */
export async function batchGetItems(keys: readonly Record<string, unknown>[], options: { projection?: string } = {}): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((key) => [keyString(key), key])).values()];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < unique.length; i += KEYS_PER_REQUEST) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + KEYS_PER_REQUEST);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${ATTEMPTS} requests`);
      if (attempt > 0) await sleep(FIRST_RETRY_MS * 2 ** (attempt - 1));
      const out = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ...(options.projection ? { ProjectionExpression: options.projection } : {}) } } }),
      );
      items.push(...(out.Responses?.[tableName()] ?? []));
      pending = (out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return items;
}
