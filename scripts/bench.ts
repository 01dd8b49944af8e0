/**
 * `npm run bench`: every benchmark Harbor reports, on one in-memory DynamoDB Local started for
 * the run, printed as tables. Figures only — nothing here asserts a time.
 * BENCH_N sets the samples per measurement (default 200).
 */
import { createDocumentClient } from '../shared/data/client';
import { benchDirectory, printDirectoryFigures } from './bench/directory';
import { benchReferrals, printReferralFigures } from './bench-referrals';
import { startDynamoDbLocal } from './dynamodb-local';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.HARBOR_QUIET = '1';

async function main(): Promise<void> {
  const ddb = await startDynamoDbLocal({ port: 0 });
  const doc = createDocumentClient({ endpoint: ddb.endpoint });
  try {
    console.log(`DynamoDB Local at ${ddb.endpoint} (in memory); ${process.env.BENCH_N ?? 200} samples per figure after 20 warm-up calls, one client at a time.`);
    const directory = [];
    for (const scale of [1, 10]) directory.push(await benchDirectory(doc, ddb.endpoint, scale));
    printDirectoryFigures(directory);
    printReferralFigures(await benchReferrals(doc, ddb.endpoint));
  } finally {
    doc.destroy();
    await ddb.stop();
  }
}

await main();
