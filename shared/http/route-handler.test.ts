import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvariantViolated, ServiceUnavailable } from '../errors';
import { ok } from './responses';
import type { HarborEvent } from './route-handler';
import { MAX_BODY_BYTES, routeHandler } from './route-handler';

const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function event(overrides: { claims?: Record<string, string>; body?: string; query?: Record<string, string> } = {}): HarborEvent {
  return {
    version: '2.0',
    routeKey: 'POST /providers',
    rawPath: '/providers',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    queryStringParameters: overrides.query,
    body: overrides.body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: { jwt: { claims: overrides.claims ?? { sub: 'admin-1', 'cognito:groups': '[admin]' }, scopes: null } },
    },
  } as unknown as HarborEvent;
}

const Body = z.strictObject({ name: z.string().min(1), beds: z.number().int().min(0) });

describe('routeHandler', () => {
  const echo = routeHandler('create-provider', { body: Body }, async (req) => ok({ got: req.body, by: req.actor.sub }));

  it('passes a valid request through with the actor', async () => {
    const res = await echo(event({ body: JSON.stringify({ name: 'x', beds: 2 }) }), context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual({ got: { name: 'x', beds: 2 }, by: 'admin-1' });
  });

  it('refuses a role the route table does not allow, before the handler runs', async () => {
    let ran = false;
    const guarded = routeHandler('create-provider', { body: Body }, async () => {
      ran = true;
      return ok({});
    });
    const res = await guarded(event({ claims: { sub: 'c', 'cognito:groups': '[coordinator]', 'custom:jurisdiction': 'TX' }, body: '{"name":"x","beds":1}' }), context);
    expect(res.statusCode).toBe(403);
    expect(ran).toBe(false);
  });

  it('answers 401 with the contract shape when there are no claims', async () => {
    const e = event({ body: '{}' });
    (e.requestContext as unknown as { authorizer?: unknown }).authorizer = undefined;
    const res = await echo(e, context);
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body!)).toMatchObject({ error: { code: 'unauthenticated' }, requestId: 'req-1' });
  });

  it('names unknown fields, wrong types and bad JSON in a 400', async () => {
    const unknown = await echo(event({ body: JSON.stringify({ name: 'x', beds: 1, extra: true }) }), context);
    expect(unknown.statusCode).toBe(400);
    expect(JSON.parse(unknown.body!).error.fields).toEqual([{ path: 'extra', message: 'unknown field' }]);
    const wrongType = await echo(event({ body: JSON.stringify({ name: 'x', beds: 'two' }) }), context);
    expect(JSON.parse(wrongType.body!).error.fields[0].path).toBe('beds');
    const badJson = await echo(event({ body: '{"name":' }), context);
    expect(JSON.parse(badJson.body!).error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'body' }] });
    const missing = await echo(event({}), context);
    expect(JSON.parse(missing.body!).error.fields[0].path).toBe('body');
  });

  it('refuses an oversized body with 413', async () => {
    const res = await echo(event({ body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), beds: 1 }) }), context);
    expect(res.statusCode).toBe(413);
  });

  it('refuses unknown query parameters', async () => {
    const res = await echo(event({ body: '{"name":"x","beds":1}', query: { sneaky: '1' } }), context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body!).error.fields[0].path).toBe('sneaky');
  });

  it('maps domain errors to their status and a 503 to Retry-After', async () => {
    const invariant = routeHandler('create-provider', { body: Body }, async () => {
      throw new InvariantViolated('capacity_over_committed', 'no');
    });
    expect((await invariant(event({ body: '{"name":"x","beds":1}' }), context)).statusCode).toBe(422);
    const busy = routeHandler('create-provider', { body: Body }, async () => {
      throw new ServiceUnavailable('busy', 2);
    });
    const res = await busy(event({ body: '{"name":"x","beds":1}' }), context);
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('2');
  });

  it('a 500 never leaks the message or a stack trace', async () => {
    const broken = routeHandler('create-provider', { body: Body }, async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1 at secretFunction (/var/task/index.mjs:1:2)');
    });
    const res = await broken(event({ body: '{"name":"x","beds":1}' }), context);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/ECONNREFUSED|secretFunction|index\.mjs/);
    expect(JSON.parse(res.body!)).toMatchObject({ error: { code: 'internal_error' }, requestId: 'req-1' });
  });
});
