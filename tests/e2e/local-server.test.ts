/**
 * The local server over real HTTP, on DynamoDB Local: routing from the shared route table, the
 * authorizer's 401 before any handler runs, the handler's role gate, the contract's error shape,
 * and the payload-2.0 event the handlers receive.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { SignJWT, generateKeyPair } from 'jose';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ok } from '../../shared/http/responses';
import { routeHandler } from '../../shared/http/route-handler';
import { REPO_ROOT } from '../../scripts/dynamodb-local';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../scripts/local-auth';
import type { LambdaHandler, LocalJobContext } from '../../scripts/local-server';
import { registerTimer } from '../../scripts/local-server';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface ErrorBody {
  error: { code: string; message: string };
  requestId: string;
}

/** A stand-in for PATCH /services/{id} that records the event it gets (the real one is not used in this file). */
const recordEvent = vi.fn<LambdaHandler>(async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"recorded":true}' }));
/** A stand-in for GET /services/{id} that fails the way a bug would. */
const failing = vi.fn<LambdaHandler>(async () => {
  throw new Error('boom: secret detail at /work/main/functions/x.ts:12');
});
/**
 * GET /audit is admin-only. Its real handler is used when it exists; until then a stand-in built
 * with the same `routeHandler` (so the same role gate in the same middleware) takes its place.
 */
const realAuditHandler = existsSync(join(REPO_ROOT, 'functions', 'list-audit', 'handler.ts'));
const auditStandIn = routeHandler('list-audit', {}, async () => ok({ items: [], nextCursor: null })) as unknown as LambdaHandler;

const ERROR_SHAPE = {
  error: { code: expect.any(String), message: expect.any(String) },
  requestId: expect.any(String),
};

describe('local server over HTTP', () => {
  let harbor: Harbor;

  beforeAll(async () => {
    harbor = await startHarbor({
      handlers: {
        'update-service': recordEvent,
        'get-service': failing,
        ...(realAuditHandler ? {} : { 'list-audit': auditStandIn }),
      },
    });
  });

  afterAll(async () => {
    await harbor?.close();
  });

  it('answers GET /health without a token', async () => {
    const res = await harbor.request('GET', '/health');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('refuses a non-public route without a token with 401, before the handler runs', async () => {
    recordEvent.mockClear();

    const res = await harbor.request<ErrorBody>('PATCH', '/services/s-1', { body: { name: 'x' } });

    expect(res.status).toBe(401);
    expect(res.json).toEqual(ERROR_SHAPE);
    expect(res.json.error.code).toBe('unauthenticated');
    expect(recordEvent).not.toHaveBeenCalled();
  });

  it('refuses a token signed by another key with 401', async () => {
    recordEvent.mockClear();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ 'cognito:groups': ['admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('intruder')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

    const res = await harbor.request<ErrorBody>('PATCH', '/services/s-1', { token: forged, body: { name: 'x' } });

    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthenticated');
    expect(recordEvent).not.toHaveBeenCalled();
  });

  it('refuses a malformed token and an expired one with 401', async () => {
    const expired = await harbor.tokenFor({ role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });

    const garbage = await harbor.request<ErrorBody>('GET', '/audit', { token: 'not-a-jwt' });
    const late = await harbor.request<ErrorBody>('GET', '/audit', { token: expired });

    expect(garbage.status).toBe(401);
    expect(garbage.json.error.code).toBe('unauthenticated');
    expect(late.status).toBe(401);
    expect(late.json.error.message).toMatch(/expired/);
  });

  it('answers an unknown path with 404 and a known path with another method with 405, in the contract shape', async () => {
    const unknown = await harbor.request<ErrorBody>('GET', '/no-such-thing');
    const wrongMethod = await harbor.request<ErrorBody>('DELETE', '/health');

    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual(ERROR_SHAPE);
    expect(unknown.json.error.code).toBe('not_found');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.error.code).toBe('method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('lets the role gate refuse a role the route does not allow (403), and admit one it does', async () => {
    const providerToken = await harbor.tokenFor({ role: 'provider', providerId: 'prv-1' });
    const adminToken = await harbor.tokenFor({ role: 'admin' });

    const refused = await harbor.request<ErrorBody>('GET', '/audit', { token: providerToken });
    const admitted = await harbor.request('GET', '/audit', { token: adminToken });

    expect(refused.status).toBe(403);
    expect(refused.json).toEqual(ERROR_SHAPE);
    expect(refused.json.error.code).toBe('forbidden');
    expect(admitted.status).toBe(200);
  });

  it('hands the handler the payload 2.0 event API Gateway would, with flattened claims', async () => {
    recordEvent.mockClear();
    const token = await harbor.tokenFor({ role: 'coordinator', sub: 'coord-7', jurisdiction: 'TX,OK' });

    const res = await harbor.request('PATCH', '/services/svc%201?tag=a&tag=b&x=%2C', {
      token,
      body: { name: 'Renamed' },
      headers: { 'X-Trace': 'abc', 'If-Match': '3' },
    });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ recorded: true });
    expect(recordEvent).toHaveBeenCalledTimes(1);
    const [event, context] = recordEvent.mock.calls[0]!;
    const e = event as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'PATCH /services/{id}',
      rawPath: '/services/svc%201',
      rawQueryString: 'tag=a&tag=b&x=%2C',
      queryStringParameters: { tag: 'a,b', x: ',' },
      pathParameters: { id: 'svc 1' },
      body: '{"name":"Renamed"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        stage: '$default',
        routeKey: 'PATCH /services/{id}',
        http: { method: 'PATCH', path: '/services/svc%201', protocol: 'HTTP/1.1' },
        authorizer: { jwt: { scopes: null } },
      },
    });
    expect(e.headers['x-trace']).toBe('abc');
    expect(e.headers['if-match']).toBe('3');
    expect(e.headers['content-type']).toBe('application/json');
    expect(e.requestContext.requestId).toBe(res.headers.get('apigw-requestid'));
    const claims = e.requestContext.authorizer.jwt.claims;
    expect(claims).toMatchObject({
      sub: 'coord-7',
      'cognito:groups': '[coordinator]',
      'custom:jurisdiction': 'TX,OK',
      token_use: 'id',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
    });
    for (const value of Object.values(claims)) expect(typeof value).toBe('string');
    expect(claims.exp).toMatch(/^\d+$/);
    expect(context.functionName).toBe('update-service');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('turns a handler that throws into a 500 in the contract shape, without the error text or a stack', async () => {
    const token = await harbor.tokenFor({ role: 'admin' });
    // The local server reports through the console; the handler's logger writes to stderr itself.
    const quiet = [vi.spyOn(console, 'error').mockImplementation(() => {}), vi.spyOn(process.stderr, 'write').mockImplementation(() => true)];

    const res = await harbor.request<ErrorBody>('GET', '/services/s-1', { token });

    for (const spy of quiet) spy.mockRestore();
    expect(failing).toHaveBeenCalledTimes(1);
    expect(res.status).toBe(500);
    expect(res.json).toEqual(ERROR_SHAPE);
    expect(res.json.error.code).toBe('internal_error');
    expect(res.text).not.toMatch(/boom|secret|\.ts:\d+|at /);
  });

  it('refuses a body over 1 MiB with 413 before any handler sees it', async () => {
    recordEvent.mockClear();
    const token = await harbor.tokenFor({ role: 'admin' });

    const res = await harbor.request<ErrorBody>('PATCH', '/services/s-1', { token, body: JSON.stringify({ note: 'x'.repeat(1024 * 1024 + 1) }) });

    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
    expect(recordEvent).not.toHaveBeenCalled();
  });

  it('runs a registered periodic job on demand with the server\'s table, and forgets it once unregistered', async () => {
    const seen: LocalJobContext[] = [];
    const unregister = registerTimer('test-job', 60_000, (context) => {
      seen.push(context);
    });

    await harbor.server.runTimer('test-job');
    unregister();

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ tableName: harbor.tableName, url: harbor.baseUrl });
    await expect(harbor.server.runTimer('test-job')).rejects.toThrow(/No timer named test-job/);
  });
});
