/**
 * DynamoDB Local — the real DynamoDB engine as a Java jar — fetched, started and stopped for the
 * local server, the integration tests and benchmarks.
 *
 * Where it comes from: AWS publishes the jar on S3, which this machine cannot reach; the npm
 * package `amplify-dynamodb-simulator` ships the same jar (1.25) in its `emulator/` folder, and npm
 * is reachable. Installing that package would pull ~280 dependencies, so we `npm pack` its tarball
 * (integrity-checked by npm) and extract only `package/emulator` into a cache folder.
 *
 * Run as a CLI (`npm run ddb`) it starts one on port 8000 (DDB_PORT) with its data in
 * `<HARBOR_DATA_DIR or .data>/dynamodb`.
 */
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LOCAL_CREDENTIALS } from '../shared/data/client';
import { runIfMain } from './cli';

const execFileAsync = promisify(execFile);

/** The repository root (this file lives in `<repo>/scripts/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The npm package (and exact version) whose `emulator/` folder holds DynamoDBLocal.jar 1.25. */
export const EMULATOR_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';

/** Written last, so a folder without it is a half-finished extraction and is redone. */
const COMPLETE_MARKER = '.harbor-complete';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** How much of DynamoDB Local's output is kept for error messages. */
const OUTPUT_TAIL_CHARS = 8_000;

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:8000`. */
  endpoint: string;
  port: number;
  /** The Java process id (for a last-resort kill when the parent exits abruptly). */
  pid: number | undefined;
  /** True once the Java process has exited. */
  readonly exited: boolean;
  /** Settles when the Java process exits, for whatever reason. */
  whenExited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the Java process (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** 0 or absent: a free port is picked. */
  port?: number;
  /** Folder for on-disk data (created if missing); absent: `-inMemory`. */
  dbPath?: string;
  /** Where the emulator is cached; default `<repo>/.dynamodb`. */
  cacheDir?: string;
}

/**
 * Makes sure DynamoDB Local is extracted under `cacheDir` and returns the emulator folder
 * (holding DynamoDBLocal.jar). Idempotent; safe to run from two processes at once, and a
 * half-finished earlier extraction (no completion marker) is discarded and redone.
 */
export async function ensureDynamoDbLocal(cacheDir = join(REPO_ROOT, '.dynamodb')): Promise<string> {
  const emulatorDir = join(cacheDir, 'emulator');
  if (isCompleteEmulator(emulatorDir)) return emulatorDir;

  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, 'fetch-'));
  try {
    const started = Date.now();
    const tarball = await packEmulator(work);
    await execFileAsync('tar', ['-xzf', tarball, '-C', work, 'package/emulator']);
    const extracted = join(work, 'package', 'emulator');
    if (!existsSync(join(extracted, 'DynamoDBLocal.jar'))) {
      throw new Error(`${EMULATOR_PACKAGE} did not contain emulator/DynamoDBLocal.jar; pick another version.`);
    }
    await writeFile(join(extracted, COMPLETE_MARKER), `${EMULATOR_PACKAGE}\n${new Date().toISOString()}\n`);

    // The swap happens under a lock: another process may be finishing the same fetch, and a
    // complete copy it put in place must never be removed under its feet.
    const installed = await withLock(join(cacheDir, '.lock'), async () => {
      if (isCompleteEmulator(emulatorDir)) return false;
      await rm(emulatorDir, { recursive: true, force: true });
      await rename(extracted, emulatorDir);
      return true;
    });
    if (!installed) return emulatorDir;
    process.stderr.write(`DynamoDB Local fetched into ${emulatorDir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return emulatorDir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A cross-process lock: `mkdir` is atomic; a lock older than a minute is taken to be abandoned. */
async function withLock<T>(lockDir: string, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - ((await stat(lockDir).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 60_000) await rm(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${lockDir}; delete it if no other process is fetching DynamoDB Local.`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await run();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function isCompleteEmulator(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARKER)) && existsSync(join(dir, 'DynamoDBLocal.jar'));
}

/** `npm pack` downloads the tarball (verifying its registry integrity) without installing anything. */
async function packEmulator(destination: string): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    await execFileAsync(npm, ['pack', EMULATOR_PACKAGE, '--pack-destination', destination, '--silent'], {
      cwd: destination,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`Could not fetch DynamoDB Local with \`npm pack ${EMULATOR_PACKAGE}\` (is the npm registry reachable?).\n${stderr}`, {
      cause: error,
    });
  }
  const tarball = (await readdir(destination)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${EMULATOR_PACKAGE} produced no tarball in ${destination}.`);
  return join(destination, tarball);
}

/** Asks the OS for a free TCP port on the loopback interface. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts DynamoDB Local and resolves once it answers ListTables. Telemetry is disabled both by
 * flag and by environment, so it never calls AWS.
 */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const emulatorDir = await ensureDynamoDbLocal(options.cacheDir);
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const storage: string[] = [];
  if (options.dbPath) {
    const dbPath = resolve(options.dbPath);
    await mkdir(dbPath, { recursive: true });
    storage.push('-dbPath', dbPath);
  } else {
    storage.push('-inMemory');
  }

  const args = [
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    'DynamoDBLocal.jar',
    '-port',
    String(port),
    '-disableTelemetry',
    ...storage,
  ];
  const child = spawn('java', args, {
    cwd: emulatorDir,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // The pipes are drained for the process's whole life (a full pipe would block Java); only the
  // tail is kept, for error messages.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolveExit({ code, signal });
    });
  });
  liveChildren.add(child);
  killLeftoversOnExit();
  const spawnFailed = new Promise<Error>((resolveError) => child.once('error', resolveError));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, exited);

  try {
    await waitUntilReady(endpoint, exited, spawnFailed, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    whenExited: exited,
    stop,
  };
}

/**
 * Java outlives its parent unless someone kills it. Anything not stopped explicitly (a test that
 * forgot, a crash) is killed when this Node process exits, whatever the reason short of SIGKILL.
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

async function waitUntilReady(
  endpoint: string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  spawnFailed: Promise<Error>,
  output: () => string,
): Promise<void> {
  let failure: Error | undefined;
  void exited.then(({ code, signal }) => {
    failure ??= new Error(`DynamoDB Local exited before it was ready (code ${code}, signal ${signal}). Its output:\n${output()}`);
  });
  void spawnFailed.then((error) => {
    const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? ' Is Java (17 or later) installed and on PATH?' : '';
    failure ??= new Error(`Could not start java for DynamoDB Local: ${error.message}.${hint}`, { cause: error });
  });

  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (failure) throw failure;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        // Not listening yet.
      }
      if (failure) throw failure;
      if (Date.now() > deadline) {
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s. Its output:\n${output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dbPath = join(resolve(process.env.HARBOR_DATA_DIR ?? join(REPO_ROOT, '.data')), 'dynamodb');
  const port = Number(process.env.DDB_PORT ?? 8000);
  const ddb = await startDynamoDbLocal({ port, dbPath });
  process.stdout.write(`DynamoDB Local is listening on ${ddb.endpoint} (data in ${dbPath}). Ctrl-C stops it.\n`);
  process.stdout.write(
    `Use region us-east-1 and the access key "${LOCAL_CREDENTIALS.accessKeyId}" (secret "${LOCAL_CREDENTIALS.secretAccessKey}"): ` +
      'without -sharedDb, DynamoDB Local keeps one database per key and region.\n',
  );
  const shutdown = () => {
    void ddb.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

runIfMain(import.meta.url, main);
