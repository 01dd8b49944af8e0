import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailable } from '../errors';
import { documentClient } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A condition in the transaction failed; `index` is the item whose condition failed. */
export class TransactionConditionFailed extends Error {
  constructor(
    readonly indexes: number[],
    readonly items: (Record<string, unknown> | undefined)[],
    cause: unknown,
  ) {
    super(`Transaction condition failed at item(s) ${indexes.join(', ')}`, { cause });
    this.name = 'TransactionConditionFailed';
  }
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The SDK does not retry a transaction cancelled for TransactionConflict (another transaction held
 * one of its items), so it is retried here with full-jitter exponential backoff. When attempts
 * run out the caller gets a 503 with Retry-After; a cancelled transaction wrote nothing.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 20, maxDelayMs: 800 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function transactWrite(items: TransactItem[], retry: RetryPolicy = DEFAULT_RETRY): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient().send(
        new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'NONE' }),
      );
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) && (error as { name?: string }).name !== 'TransactionCanceledException') {
        throw error;
      }
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.length > 0) {
        throw new TransactionConditionFailed(
          failed,
          reasons.map((r) => r.Item as Record<string, unknown> | undefined),
          error,
        );
      }
      const transient = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
      if (!transient) throw error;
      if (attempt >= retry.attempts) {
        throw new ServiceUnavailable('The record is busy with other changes; nothing was written. Try again shortly.', 1, error);
      }
      const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}
