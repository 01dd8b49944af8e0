import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config/env';

/**
 * DynamoDB Local keeps one database per access key and region unless started with -sharedDb, so
 * every local process (server, seeder, tests, benchmarks) uses these same fake credentials.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'harborlocal', secretAccessKey: 'harborlocal' } as const;

let shared: DynamoDBDocumentClient | undefined;

/**
 * The SDK's logger middleware hands `logger.info` a redacted copy of every response, and builds
 * that copy (a walk over every attribute of every item) whenever the logger has an `info` method
 * — the default no-op logger does. A match reads thousands of items: the copy cost ~30 ms of CPU
 * per match for nothing (measured with a CPU profile on 5,800 index items). The middleware calls
 * `logger?.info?.(…)` and `logger?.error?.(…)`, so a logger without them skips both: failed
 * conditions are answers the handlers turn into 409s, not errors to log twice. `debug` stays,
 * silent, because the credential providers call it unguarded; the SDK's own warnings are kept.
 */
const sdkLogger = {
  debug: () => {},
  warn: (...args: unknown[]) => console.warn(...args),
} as unknown as DynamoDBClientConfig['logger'];

export function createDocumentClient(options: { endpoint?: string; region?: string } = {}): DynamoDBDocumentClient {
  const endpoint = options.endpoint;
  const client = new DynamoDBClient({
    region: options.region ?? 'us-east-1',
    ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 3,
    logger: sdkLogger,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The container's client, created once on first use; tests and the local server may inject one. */
export function documentClient(): DynamoDBDocumentClient {
  if (!shared) {
    const c = config();
    shared = createDocumentClient({ region: c.AWS_REGION, ...(c.DYNAMODB_ENDPOINT ? { endpoint: c.DYNAMODB_ENDPOINT } : {}) });
  }
  return shared;
}

export function setDocumentClient(client: DynamoDBDocumentClient | undefined): void {
  shared = client;
}

export function tableName(): string {
  return config().TABLE_NAME;
}
