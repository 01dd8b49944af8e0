import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';

/**
 * Every item a Query matches, following LastEvaluatedKey page by page (for bounded partitions
 * only). `abandoned`, asked before each further page, lets a caller that no longer needs the
 * answer stop reading (what was read is returned, incomplete).
 */
export async function queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>, abandoned?: () => boolean): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && !abandoned?.());
  return items;
}
