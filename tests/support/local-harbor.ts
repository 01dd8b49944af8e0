/**
 * A whole local Harbor for one test file: its own table on the run's DynamoDB Local (see
 * tests/global-setup.ts), the local server on a free port, a token issuer, and a `request`
 * helper that goes through real HTTP.
 *
 * One harbor per test file at a time: handler configuration is process-wide, as in a Lambda
 * container (createLocalServer refuses a second table while one is open).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import type { Role } from '../../shared/auth/roles';
import { createDocumentClient } from '../../shared/data/client';
import { REPO_ROOT } from '../../scripts/dynamodb-local';
import type { LocalIdentity, TokenClaims } from '../../scripts/local-auth';
import { cognitoClaims, forgetSigningKey, signToken } from '../../scripts/local-auth';
import type { LambdaHandler, LocalServer } from '../../scripts/local-server';
import { createLocalServer } from '../../scripts/local-server';
import { ensureTable } from '../../scripts/local-table';
import { assertLocalEndpoint, deleteTable, uniqueTableName } from './dynamodb';

/** A role plus whatever scope it needs; missing scope gets a test default (see `tokenFor`). */
export type TestIdentity = { role: Role } & Partial<Omit<LocalIdentity, 'role'>>;

export interface HarborResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Harbor {
  baseUrl: string;
  tableName: string;
  endpoint: string;
  /** A document client on the harbor's DynamoDB Local (the same one the handlers use). */
  doc: DynamoDBDocumentClient;
  server: LocalServer;
  /** Signs a token the server accepts: raw claims (`{ sub, ... }`), or `{ role, ... }` with defaults. */
  tokenFor(who: TokenClaims | TestIdentity, options?: { expiresIn?: string | number }): Promise<string>;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<HarborResponse<T>>;
  close(): Promise<void>;
}

export interface StartHarborOptions {
  /** Load the demo directory (scripts/seed/load-demo.ts) into the table first. */
  seed?: boolean;
  /** Stand-in handlers by function name, for routes whose handler does not exist yet. */
  handlers?: Partial<Record<string, LambdaHandler>>;
}

/** `{ role, ... }` rather than raw Cognito claims (which carry `cognito:groups`, never `role`). */
function isTestIdentity(who: TokenClaims | TestIdentity): who is TestIdentity {
  return typeof who.role === 'string' && !('cognito:groups' in who);
}

/** Test defaults for scope claims a role needs but the test did not name. */
function identityFor(who: TestIdentity): LocalIdentity {
  const identity: LocalIdentity = { sub: who.sub ?? `test-${who.role}`, role: who.role };
  const providerId = who.providerId ?? (who.role === 'provider' ? 'provider-test' : undefined);
  const agencyId = who.agencyId ?? (who.role === 'caseworker' ? 'agency-test' : undefined);
  const jurisdiction = who.jurisdiction ?? (who.role === 'coordinator' ? 'TX' : undefined);
  if (providerId) identity.providerId = providerId;
  if (agencyId) identity.agencyId = agencyId;
  if (jurisdiction) identity.jurisdiction = jurisdiction;
  return identity;
}

export async function startHarbor(options: StartHarborOptions = {}): Promise<Harbor> {
  const endpoint = inject('ddbEndpoint');
  assertLocalEndpoint(endpoint);
  const tableName = uniqueTableName();
  const dataDir = await mkdtemp(join(tmpdir(), 'harbor-test-data-'));
  const doc = createDocumentClient({ endpoint });
  await ensureTable(doc, tableName);

  if (options.seed) {
    const seedModule = join(REPO_ROOT, 'scripts', 'seed', 'load-demo.ts');
    if (!existsSync(seedModule)) throw new Error('startHarbor({ seed: true }) needs scripts/seed/load-demo.ts, which does not exist yet.');
    const { loadDemoDirectory } = (await import(/* @vite-ignore */ pathToFileURL(seedModule).href)) as {
      loadDemoDirectory: (args: { doc: DynamoDBDocumentClient; tableName: string }) => Promise<unknown>;
    };
    await loadDemoDirectory({ doc, tableName });
  }

  const server = await createLocalServer({
    port: 0,
    dataDir,
    tableName,
    endpoint,
    log: false,
    timers: false,
    ...(options.handlers ? { handlers: options.handlers } : {}),
  });
  const baseUrl = server.url;

  const tokenFor: Harbor['tokenFor'] = (who, tokenOptions = {}) => {
    const claims = isTestIdentity(who) ? cognitoClaims(identityFor(who)) : who;
    return signToken(claims, { dataDir, ...(tokenOptions.expiresIn === undefined ? {} : { expiresIn: tokenOptions.expiresIn }) });
  };

  const request: Harbor['request'] = async <T>(method: string, path: string, requestOptions: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
    let body: string | undefined;
    if (requestOptions.body !== undefined) {
      body = typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let json: unknown;
    if (text.length > 0 && (response.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text) as unknown;
    return { status: response.status, headers: response.headers, json: json as T, text };
  };

  const close = async () => {
    await server.close();
    await deleteTable(doc, tableName);
    doc.destroy();
    await forgetSigningKey(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  };

  return { baseUrl, tableName, endpoint, doc, server, tokenFor, request, close };
}
