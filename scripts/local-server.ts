/**
 * The local server: plays API Gateway's HTTP API in front of the very handlers that run in Lambda.
 *
 * It routes from the same route table the CDK stack reads (`shared/routes.ts`), rejects a missing
 * or bad token before any handler runs (as the JWT authorizer does), builds the payload-2.0 event
 * (`local-event.ts`), calls `functions/<fn>/handler.ts`'s `handler` with a Lambda-like context, and
 * writes the result back. Every handler talks to DynamoDB Local.
 *
 * Configuration (`TABLE_NAME`, the shared document client) is process-wide, as it is in a Lambda
 * container, so one process serves one table at a time.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resetConfig } from '../shared/config/env';
import { createDocumentClient, setDocumentClient } from '../shared/data/client';
import type { RouteDef } from '../shared/routes';
import { matchPath, ROUTES } from '../shared/routes';
import { REPO_ROOT } from './dynamodb-local';
import { localSigningKey, TokenRejected, verifyToken } from './local-auth';
import type { HttpApiEvent } from './local-event';
import { splitTarget, toHttpApiEvent } from './local-event';

/** Anything above this is refused before a handler sees it; handlers enforce the real, smaller limit. */
export const LOCAL_MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway's HTTP API gives an integration at most 30 s; a Lambda gets a little less here. */
const INVOCATION_TIMEOUT_MS = 29_000;

/** A Lambda handler as the functions export it (middy's handler). */
export type LambdaHandler = (event: HttpApiEvent, context: Context) => Promise<unknown>;

export interface LocalServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on; default 127.0.0.1 (this machine only). */
  host?: string;
  /** Holds the token signing key; default `HARBOR_DATA_DIR` or `<repo>/.data`. */
  dataDir?: string;
  tableName: string;
  /** DynamoDB Local's endpoint, e.g. `http://127.0.0.1:8000`. */
  endpoint: string;
  /** One access-log line per request. */
  log?: boolean;
  /** Run the registered periodic jobs (default true); tests turn them off and use `runTimer`. */
  timers?: boolean;
  /** Stand-in handlers by function name (tests only); the real module is used for any other. */
  handlers?: Partial<Record<string, LambdaHandler>>;
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  server: Server;
  /** The document client every handler uses (pointed at DynamoDB Local). */
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Runs one registered job now and resolves when it is done (tests; also used by the timers). */
  runTimer(name: string): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Periodic jobs and start hooks: later work (hold expiry, escalation) registers here what the CDK
// stack runs on an EventBridge schedule.

/** What a periodic job or a start hook is given. */
export interface LocalJobContext {
  doc: DynamoDBDocumentClient;
  tableName: string;
  url: string;
}

export type LocalJob = (context: LocalJobContext) => Promise<void> | void;

interface TimerDef {
  intervalMs: number;
  run: LocalJob;
}

const timerDefs = new Map<string, TimerDef>();
const startHooks = new Set<LocalJob>();
const runningServers = new Set<RunningServer>();

/**
 * Registers a job every local server runs every `intervalMs` (a run is skipped while the previous
 * one is still going; a failure is logged, never fatal). Returns a function that unregisters it.
 */
export function registerTimer(name: string, intervalMs: number, run: LocalJob): () => void {
  if (!(intervalMs > 0)) throw new Error(`Timer ${name}: intervalMs must be positive.`);
  timerDefs.set(name, { intervalMs, run });
  for (const server of runningServers) server.startTimer(name);
  return () => {
    if (timerDefs.get(name)?.run !== run) return;
    timerDefs.delete(name);
    for (const server of runningServers) server.stopTimer(name);
  };
}

/** Registers a hook run once each time a local server has started listening. */
export function onServerStart(hook: LocalJob): () => void {
  startHooks.add(hook);
  return () => startHooks.delete(hook);
}

/** The names of the registered jobs (for start-up messages). */
export function registeredTimers(): string[] {
  return [...timerDefs.keys()];
}

interface RunningServer {
  startTimer(name: string): void;
  stopTimer(name: string): void;
}

// ---------------------------------------------------------------------------------------------

let active: { tableName: string; endpoint: string; count: number } | undefined;

/** Points this process's handlers at DynamoDB Local and the given table. */
function configureProcess(tableName: string, endpoint: string): DynamoDBDocumentClient {
  if (active && (active.tableName !== tableName || active.endpoint !== endpoint)) {
    throw new Error(
      `A local server for table ${active.tableName} at ${active.endpoint} is already running in this process; ` +
        'handler configuration is process-wide, so close it first.',
    );
  }
  process.env.TABLE_NAME = tableName;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  resetConfig();
  const doc = createDocumentClient({ endpoint, region: 'us-east-1' });
  setDocumentClient(doc);
  active = { tableName, endpoint, count: (active?.count ?? 0) + 1 };
  return doc;
}

function releaseProcess(doc: DynamoDBDocumentClient): void {
  if (active && --active.count === 0) {
    active = undefined;
    setDocumentClient(undefined);
  }
  doc.destroy();
}

const handlerModules = new Map<string, Promise<LambdaHandler>>();

/** `functions/<fn>/handler.ts`, imported once per process; a failed import is retried next time. */
function loadHandler(fn: string): Promise<LambdaHandler> | undefined {
  const file = join(REPO_ROOT, 'functions', fn, 'handler.ts');
  let loading = handlerModules.get(fn);
  if (!loading) {
    if (!existsSync(file)) return undefined;
    loading = import(/* @vite-ignore */ pathToFileURL(file).href).then((module: { handler?: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`functions/${fn}/handler.ts does not export a handler function.`);
      return module.handler as LambdaHandler;
    });
    handlerModules.set(fn, loading);
    loading.catch(() => handlerModules.delete(fn));
  }
  return loading;
}

// ---------------------------------------------------------------------------------------------

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    'apigw-requestid': requestId,
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, failure: HttpFailure, requestId: string): void {
  sendJson(res, failure.status, { error: { code: failure.code, message: failure.message }, requestId }, requestId, failure.headers);
}

/** The routes whose path template matches, and the one with this method among them. */
function findRoute(method: string, rawPath: string): { route: RouteDef; params: Record<string, string> } {
  let pathExists = false;
  const allowed: string[] = [];
  for (const route of ROUTES as readonly RouteDef[]) {
    let params: Record<string, string> | undefined;
    try {
      params = matchPath(route.path, rawPath);
    } catch {
      throw new HttpFailure(400, 'validation_failed', 'The request path is not validly percent-encoded.');
    }
    if (!params) continue;
    pathExists = true;
    allowed.push(route.method);
    if (route.method === method) return { route, params };
  }
  if (pathExists) {
    throw new HttpFailure(405, 'method_not_allowed', `${method} is not allowed on ${rawPath}; use ${allowed.join(', ')}.`, {
      allow: allowed.join(', '),
    });
  }
  throw new HttpFailure(404, 'not_found', `There is no route ${method} ${rawPath}.`);
}

/** The JWT authorizer's job: no verified token, no invocation. */
async function authorize(req: IncomingMessage, dataDir: string | undefined): Promise<Record<string, string>> {
  const header = req.headers.authorization;
  if (!header) throw new HttpFailure(401, 'unauthenticated', 'Sign in: an Authorization: Bearer <token> header is required (npm run token).');
  // The authorizer takes the token with or without the `Bearer` scheme.
  const token = header.replace(/^Bearer\s+/i, '').trim();
  try {
    return await verifyToken(token, dataDir === undefined ? {} : { dataDir });
  } catch (error) {
    if (error instanceof TokenRejected) throw new HttpFailure(401, 'unauthenticated', error.message);
    throw error;
  }
}

/**
 * Reads the body, refusing it (413) above LOCAL_MAX_BODY_BYTES. The stream is never destroyed
 * early (that would take the socket, and the 413, with it): the excess is read and dropped.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  const tooLarge = () =>
    new HttpFailure(413, 'payload_too_large', `The request body is larger than ${LOCAL_MAX_BODY_BYTES} bytes.`, { connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > LOCAL_MAX_BODY_BYTES) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > LOCAL_MAX_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!refused) resolveBody(size === 0 ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
    req.once('error', reject);
  });
}

function lambdaContext(fn: string, deadline: number): Context {
  const awsRequestId = randomUUID();
  const unsupported = () => {
    throw new Error('Callback-style Lambda completion is not supported; return a promise.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: `local/${awsRequestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Writes a handler's result as API Gateway does with payload format 2.0. */
function sendResult(res: ServerResponse, result: unknown, requestId: string): void {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    // API Gateway's inferred format: any JSON value without statusCode is a 200 JSON body.
    sendJson(res, 200, result ?? null, requestId);
    return;
  }
  const r = result as { statusCode: unknown; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: boolean; cookies?: string[] };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new Error(`The handler returned an invalid statusCode: ${String(r.statusCode)}`);
  }
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  if (r.cookies && r.cookies.length > 0) headers['set-cookie'] = r.cookies;
  const body = r.body === undefined || r.body === null ? Buffer.alloc(0) : Buffer.from(String(r.body), r.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

async function invoke(handler: LambdaHandler, event: HttpApiEvent, fn: string): Promise<unknown> {
  const deadline = Date.now() + INVOCATION_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpFailure(503, 'service_unavailable', `${fn} did not answer within ${INVOCATION_TIMEOUT_MS / 1000} s.`, { 'retry-after': '1' })),
      INVOCATION_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([handler(event, lambdaContext(fn, deadline)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the local HTTP API. Before any handler module is imported, the process is pointed at
 * DynamoDB Local (`TABLE_NAME`, `DYNAMODB_ENDPOINT`, `AWS_REGION`, the shared document client).
 */
export async function createLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const { tableName, endpoint, dataDir } = options;
  const doc = configureProcess(tableName, endpoint);
  // Creates the signing key now, so `npm run token` and the server agree from the first request.
  await localSigningKey(dataDir);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const { rawPath } = splitTarget(req.url ?? '/');
    try {
      const { route, params } = findRoute(method, rawPath);
      const claims = route.roles === 'public' ? undefined : await authorize(req, dataDir);
      const body = await readBody(req);
      const fn = route.fn;
      const handler = options.handlers?.[fn] ?? (await loadHandler(fn));
      if (!handler) {
        throw new HttpFailure(501, 'not_implemented', `${route.method} ${route.path} is in the route table, but functions/${fn}/handler.ts does not exist yet.`);
      }
      const event = toHttpApiEvent(
        {
          method,
          url: req.url ?? '/',
          rawHeaders: req.rawHeaders,
          ...(body === undefined ? {} : { body }),
          ...(req.socket.remoteAddress ? { sourceIp: req.socket.remoteAddress } : {}),
          protocol: `HTTP/${req.httpVersion}`,
        },
        { routeKey: `${route.method} ${route.path}`, pathParameters: params, ...(claims ? { claims } : {}) },
        { requestId, port: (req.socket.localPort ?? options.port) },
      );
      sendResult(res, await invoke(handler, event, fn), requestId);
    } catch (error) {
      if (error instanceof HttpFailure) {
        sendError(res, error, requestId);
      } else {
        // The stack goes to this terminal only; the client gets the contract's opaque 500.
        console.error(`[harbor-local] ${method} ${rawPath} failed (request ${requestId}):`, error);
        sendError(res, new HttpFailure(500, 'internal_error', 'Something went wrong on our side; it has been logged.'), requestId);
      }
    } finally {
      if (options.log) {
        const ms = Math.round(performance.now() - started);
        console.log(`${method} ${rawPath} ${res.statusCode} ${ms}ms`);
      }
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (error) {
    releaseProcess(doc);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const jobContext: LocalJobContext = { doc, tableName, url };

  // Periodic jobs.
  const timers = new Map<string, NodeJS.Timeout>();
  const runningJobs = new Map<string, Promise<void>>();
  const runTimer = (name: string): Promise<void> => {
    const def = timerDefs.get(name);
    if (!def) return Promise.reject(new Error(`No timer named ${name} is registered.`));
    const inFlight = runningJobs.get(name);
    if (inFlight) return inFlight;
    const run = (async () => {
      try {
        await def.run(jobContext);
      } finally {
        runningJobs.delete(name);
      }
    })();
    runningJobs.set(name, run);
    return run;
  };
  const running: RunningServer = {
    startTimer(name) {
      const def = timerDefs.get(name);
      if (!def || options.timers === false) return;
      clearInterval(timers.get(name));
      const timer = setInterval(() => {
        if (runningJobs.has(name)) return;
        runTimer(name).catch((error: unknown) => console.error(`[harbor-local] job ${name} failed:`, error));
      }, def.intervalMs);
      timer.unref();
      timers.set(name, timer);
    },
    stopTimer(name) {
      clearInterval(timers.get(name));
      timers.delete(name);
    },
  };
  runningServers.add(running);
  for (const name of timerDefs.keys()) running.startTimer(name);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      runningServers.delete(running);
      for (const name of [...timers.keys()]) running.stopTimer(name);
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      await Promise.allSettled(runningJobs.values());
      releaseProcess(doc);
    })();
    return closing;
  };

  try {
    for (const hook of startHooks) await hook(jobContext);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, port, server, doc, tableName, runTimer, close };
}
