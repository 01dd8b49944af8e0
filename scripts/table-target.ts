import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/data/client';

/**
 * The options every table CLI takes (seed, HSDS export and import, match-card backfill): which table, on
 * DynamoDB Local (`--endpoint`) or on AWS (`--aws`, credentials and region from the usual chain).
 */
export const TABLE_TARGET_OPTIONS = {
  endpoint: { type: 'string' },
  aws: { type: 'boolean', default: false },
  table: { type: 'string', default: 'harbor-local' },
  region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
  help: { type: 'boolean', default: false },
} as const;

export interface TableTarget {
  endpoint?: string;
  aws: boolean;
  table: string;
  region: string;
}

/**
 * The target the parsed options name; throws the usage on `--help`, on neither `--endpoint` nor
 * `--aws` (unless `optional`, e.g. a dry run), and on both.
 */
export function readTableTarget(
  values: { endpoint?: string | undefined; aws: boolean; table: string; region: string; help: boolean },
  usage: string,
  options: { optional?: boolean; orElse?: string } = {},
): TableTarget {
  if (values.help) throw new Error(usage);
  if (!options.optional && !values.endpoint && !values.aws) {
    throw new Error(`Give --endpoint <url> (DynamoDB Local) or --aws (a real table)${options.orElse ? `, or ${options.orElse}` : ''}.\n${usage}`);
  }
  if (values.endpoint && values.aws) throw new Error(`Give either --endpoint or --aws, not both.\n${usage}`);
  return { ...(values.endpoint ? { endpoint: values.endpoint } : {}), aws: values.aws, table: values.table, region: values.region };
}

/** A document client on the target's table: DynamoDB Local at `endpoint`, or AWS in `region`. */
export function documentClientFor(target: { endpoint?: string | undefined; region: string }): DynamoDBDocumentClient {
  return createDocumentClient({ region: target.region, ...(target.endpoint ? { endpoint: target.endpoint } : {}) });
}
