/**
 * `npm start`: Harbor on this machine, no AWS account, no Docker.
 *
 * DynamoDB Local (fetched on first run) with its data on disk in `<dataDir>/dynamodb`, the table
 * built from the same definition the CDK stack uses, the demo directory loaded once into an
 * empty data folder, and the Lambda handlers served over HTTP from the shared route table.
 *
 * Environment: PORT (default 3000), HARBOR_DATA_DIR (default `.data/`), HARBOR_SEED=none (start
 * empty), DDB_PORT (DynamoDB Local's port; default a free one).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDocumentClient } from '../shared/data/client';
import { backfillMatchCards } from './backfill-match-cards';
import type { DynamoDbLocal } from './dynamodb-local';
import { ensureDynamoDbLocal, REPO_ROOT, startDynamoDbLocal } from './dynamodb-local';
import { resolveDataDir } from './local-auth';
import type { LocalServer } from './local-server';
import { createLocalServer, registeredTimers } from './local-server';
import { registerLocalJobs } from './local-jobs';
import { ensureTable } from './local-table';
import { DEMO_USERS } from './seed/demo-users';

export const LOCAL_TABLE_NAME = 'harbor-local';
const SEED_MODULE = join(REPO_ROOT, 'scripts', 'seed', 'load-demo.ts');
/** Lives beside DynamoDB Local's files, so deleting that folder also forgets the seeding. */
const SEED_MARKER = 'harbor-seed.json';

type DemoLoader = (args: { doc: DynamoDBDocumentClient; tableName: string }) => Promise<{ providers: number; placements: number; services: number }>;

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0-65535), not "${raw}".`);
  return port;
}

/** Fails early (before fetching or seeding) when the HTTP port is taken. */
async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolveFree, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use; start with another, e.g. PORT=${port + 1} npm start.`) : error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree()));
  });
}

async function tableIsEmpty(doc: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  const page = await doc.send(new ScanCommand({ TableName: tableName, Limit: 1, Select: 'COUNT' }));
  return (page.Count ?? 0) === 0;
}

/**
 * Loads the demo directory the first time a data folder is empty. A marker file records that it
 * was done, so a restart never loads it again, even if every item has since been deleted.
 */
async function seedOnce(doc: DynamoDBDocumentClient, tableName: string, dbPath: string): Promise<string> {
  if (process.env.HARBOR_SEED === 'none') return 'not loaded (HARBOR_SEED=none)';
  const marker = join(dbPath, SEED_MARKER);
  if (existsSync(marker)) return 'already loaded earlier (kept as it is)';
  if (!(await tableIsEmpty(doc, tableName))) return 'not loaded: the table already holds data';
  if (!existsSync(SEED_MODULE)) return 'unavailable: scripts/seed/load-demo.ts does not exist yet, so the directory starts empty';

  const module = (await import(/* @vite-ignore */ pathToFileURL(SEED_MODULE).href)) as { loadDemoDirectory?: DemoLoader };
  if (typeof module.loadDemoDirectory !== 'function') throw new Error('scripts/seed/load-demo.ts does not export loadDemoDirectory.');
  console.log('Loading the demo directory into the empty data folder (first start only)…');
  const started = Date.now();
  const counts = await module.loadDemoDirectory({ doc, tableName });
  await writeFile(marker, `${JSON.stringify({ seededAt: new Date().toISOString(), tableName, ...counts }, null, 2)}\n`);
  return `loaded ${counts.providers} providers, ${counts.placements} placements and ${counts.services} services in ${Date.now() - started} ms`;
}

function banner(server: LocalServer, dataDir: string, ddb: DynamoDbLocal, seeding: string): string {
  const url = server.url.replace('127.0.0.1', 'localhost');
  const users = Object.entries(DEMO_USERS);
  const width = Math.max(0, ...users.map(([name]) => name.length));
  const demoLines =
    users.length > 0
      ? users.map(([name, u]) => `      ${name.padEnd(width)}  ${u.role.padEnd(11)} ${u.description}`).join('\n')
      : '      (no demo users defined yet)';
  const timers = registeredTimers();
  return [
    '',
    `Harbor is running at ${url}`,
    `  data folder     ${dataDir}  (DynamoDB Local ${ddb.endpoint}, table ${server.tableName})`,
    `  demo directory  ${seeding}`,
    ...(timers.length > 0 ? [`  periodic jobs   ${timers.join(', ')}`] : []),
    '',
    'Get a token (signed by the key in the data folder; use the same HARBOR_DATA_DIR):',
    '  TOKEN=$(npm run -s token -- --demo <name>)',
    demoLines,
    '  TOKEN=$(npm run -s token -- --role <admin|coordinator|caseworker|provider> [--provider <id>] [--agency <id>] [--jurisdiction TX] [--sub <id>])',
    '',
    `  curl -H "Authorization: Bearer $TOKEN" "${url}/placements?near=78701&radiusMiles=50"`,
    `  API description: ${url}/openapi.json    Ctrl-C stops Harbor and DynamoDB Local.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const port = portFromEnv('PORT', 3000);
  const ddbPort = portFromEnv('DDB_PORT', 0);
  await assertPortFree(port);
  const dataDir = resolveDataDir();
  const dbPath = join(dataDir, 'dynamodb');
  await mkdir(dbPath, { recursive: true });

  let fetchedIn = Date.now();
  await ensureDynamoDbLocal();
  fetchedIn = Date.now() - fetchedIn;
  const startedAt = Date.now();
  const ddb = await startDynamoDbLocal({ port: ddbPort, dbPath });
  console.log(`DynamoDB Local ready on ${ddb.endpoint} in ${Date.now() - startedAt} ms${fetchedIn > 1000 ? ` (fetched in ${fetchedIn} ms)` : ''}`);

  // Last resort if this process dies without a clean stop: never leave Java behind.
  process.once('exit', () => {
    if (!ddb.exited && ddb.pid) {
      try {
        process.kill(ddb.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  let server: LocalServer | undefined;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping Harbor…`);
    await server?.close().catch((error: unknown) => console.error('Closing the HTTP server failed:', error));
    await ddb.stop();
    console.log('DynamoDB Local stopped; data kept in', dbPath);
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) {
        // A second Ctrl-C: do not wait any longer (the exit hook still kills Java).
        process.exit(130);
      }
      void shutdown(signal, 0);
    });
  }
  void ddb.whenExited.then(({ code, signal }) => {
    if (stopping) return;
    // Ctrl-C in a terminal reaches Java too (same process group): that is a stop, not a crash.
    const interrupted = signal === 'SIGINT' || code === 130;
    if (!interrupted) console.error(`DynamoDB Local exited unexpectedly (code ${code}, signal ${signal}).`);
    void shutdown(interrupted ? 'SIGINT' : 'DynamoDB Local exited', interrupted ? 0 : 1);
  });

  try {
    const doc = createDocumentClient({ endpoint: ddb.endpoint });
    const { created } = await ensureTable(doc, LOCAL_TABLE_NAME);
    if (created) console.log(`Created table ${LOCAL_TABLE_NAME}.`);
    const seeding = await seedOnce(doc, LOCAL_TABLE_NAME, dbPath);
    // A data folder from an older version gets what matching reads brought up to date: match
    // cards, telehealth listings, the capacity layout (a no-op afterwards).
    const backfill = await backfillMatchCards(doc, LOCAL_TABLE_NAME);
    if (backfill.updated > 0) console.log(`Brought ${backfill.updated} items up to date for matching (match cards, telehealth listings, capacity layout).`);
    doc.destroy();

    // The scheduled work (hold expiry, escalation) that EventBridge runs in AWS runs on a timer here.
    registerLocalJobs();
    server = await createLocalServer({ port, dataDir, tableName: LOCAL_TABLE_NAME, endpoint: ddb.endpoint, log: true });
    console.log(banner(server, dataDir, ddb, seeding));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${port} is already in use; start with another, e.g. PORT=${port + 1} npm start.`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    await shutdown('Start-up failed', 1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
