/**
 * `npm run bench`: every benchmark Harbor reports, on one in-memory DynamoDB Local started for
 * the run, printed as tables. Figures only — nothing here asserts a time.
 * BENCH_N sets the samples per measurement (default 200; matches over HTTP use a fifth of it).
 * `npm run bench -- --full` adds matches at ~100k placements (loading them takes minutes).
 */
import { createDocumentClient } from '../shared/data/client';
import { benchDirectory, printDirectoryFigures } from './bench/directory';
import { benchMatchesOverHttp, benchRankingInProcess, printMatchFigures } from './bench-matching';
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

    // Matching: the demo directory ×3 (~1k placements) and ×32 (~10k), services topped up to 3×.
    const matchSamples = Math.max(10, Math.round(Number(process.env.BENCH_N ?? 200) / 5));
    const matches = [];
    for (const scale of process.argv.includes('--full') ? [3, 32, 318] : [3, 32]) matches.push(await benchMatchesOverHttp(doc, ddb.endpoint, scale, matchSamples));
    printMatchFigures(matches);
    console.log('\nRanking in process (no I/O): rankPlacements over synthetic candidates with 3× services');
    benchRankingInProcess();
  } finally {
    doc.destroy();
    await ddb.stop();
  }
}

await main();
