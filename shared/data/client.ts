import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config/env';

/**
 * DynamoDB Local keeps one database per access key and region unless started with -sharedDb, so
 * every local process (server, seeder, tests, benchmarks) uses these same fake credentials.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'harborlocal', secretAccessKey: 'harborlocal' } as const;

let shared: DynamoDBDocumentClient | undefined;

export function createDocumentClient(options: { endpoint?: string; region?: string } = {}): DynamoDBDocumentClient {
  const endpoint = options.endpoint;
  const client = new DynamoDBClient({
    region: options.region ?? 'us-east-1',
    ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS } : {}),
    maxAttempts: 3,
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
