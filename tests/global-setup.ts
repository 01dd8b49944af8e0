/**
 * Global setup of the "integration" project: one in-memory DynamoDB Local for the whole run, on
 * a free port, fetched into `.dynamodb/` on first use. Test files read its endpoint with
 * `inject('ddbEndpoint')` and each makes its own uniquely-named table (tests/support/).
 *
 * HARBOR_TEST_DDB_ENDPOINT points the run at an already-running DynamoDB Local instead (it must be
 * on this machine).
 */
import type { TestProject } from 'vitest/node';
import { ensureDynamoDbLocal, startDynamoDbLocal } from '../scripts/dynamodb-local';
import { assertLocalEndpoint } from './support/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB Local endpoint this run's integration tests use, e.g. `http://127.0.0.1:41234`. */
    ddbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const external = process.env.HARBOR_TEST_DDB_ENDPOINT;
  if (external) {
    assertLocalEndpoint(external);
    project.provide('ddbEndpoint', external);
    return async () => {};
  }

  await ensureDynamoDbLocal();
  const ddb = await startDynamoDbLocal({ port: 0 });
  project.provide('ddbEndpoint', ddb.endpoint);
  return async () => {
    await ddb.stop();
  };
}
