import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client';

/** The Query of one whole partition of a table index, in key order: add Limit, cursor or order as needed. */
export function indexPartitionQuery(index: { name: string; partitionKey: string }, partitionKey: string) {
  return {
    TableName: tableName(),
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': partitionKey },
  };
}

/**
 * Every item a Query matches, following LastEvaluatedKey page by page (for bounded partitions
 * only). `enough`, given each page's items as it comes, lets a caller that has what it needs, or
 * no longer needs the answer, stop reading (what was read is returned, incomplete).
 */
export async function queryAll(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  enough?: (page: readonly Record<string, unknown>[]) => boolean,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  let stop = false;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    const pageItems = page.Items ?? [];
    items.push(...pageItems);
    startKey = page.LastEvaluatedKey;
    stop = enough?.(pageItems) ?? false;
  } while (startKey && !stop);
  return items;
}
