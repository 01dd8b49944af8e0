import { describe, expect, it } from 'vitest';
import { apiGatewayTime, queryParameters, splitTarget, toHttpApiEvent } from './local-event';

const NOW = new Date('2025-03-09T07:05:03.123Z');

describe('toHttpApiEvent', () => {
  it('builds the payload 2.0 event API Gateway hands a Lambda', () => {
    // Prepare
    const request = {
      method: 'get',
      url: '/placements/p%201?near=78701&radiusMiles=50',
      rawHeaders: ['Host', 'localhost:3000', 'User-Agent', 'curl/8.0', 'Authorization', 'Bearer abc'],
      sourceIp: '::ffff:127.0.0.1',
    };
    const claims = { sub: 'u-1', 'cognito:groups': '[admin]', exp: '1741500000' };

    // Act
    const event = toHttpApiEvent(request, { routeKey: 'GET /placements/{id}', pathParameters: { id: 'p 1' }, claims }, { requestId: 'req-1', now: NOW, port: 3000 });

    // Assess
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /placements/{id}',
      rawPath: '/placements/p%201',
      rawQueryString: 'near=78701&radiusMiles=50',
      headers: {
        host: 'localhost:3000',
        'user-agent': 'curl/8.0',
        authorization: 'Bearer abc',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-port': '3000',
      },
      queryStringParameters: { near: '78701', radiusMiles: '50' },
      pathParameters: { id: 'p 1' },
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: { method: 'GET', path: '/placements/p%201', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.0' },
        requestId: 'req-1',
        routeKey: 'GET /placements/{id}',
        stage: '$default',
        time: '09/Mar/2025:07:05:03 +0000',
        timeEpoch: NOW.getTime(),
        authorizer: { jwt: { claims, scopes: null } },
      },
      isBase64Encoded: false,
    });
  });

  it('joins a repeated query key with commas, decoded, and keeps the raw query string', () => {
    const event = toHttpApiEvent(
      { method: 'GET', url: '/placements?specialization=csec&specialization=lgbtq_affirming&county=Travis%20County&q=a%2Cb', rawHeaders: [] },
      { routeKey: 'GET /placements', pathParameters: {} },
      { now: NOW },
    );

    expect(event.queryStringParameters).toEqual({ specialization: 'csec,lgbtq_affirming', county: 'Travis County', q: 'a,b' });
    expect(event.rawQueryString).toBe('specialization=csec&specialization=lgbtq_affirming&county=Travis%20County&q=a%2Cb');
  });

  it('lower-cases header names, joins repeated headers with commas, and moves cookies out of the headers', () => {
    const event = toHttpApiEvent(
      {
        method: 'POST',
        url: '/referrals',
        rawHeaders: ['X-Trace', 'one', 'x-trace', 'two', 'Cookie', 'a=1; b=2', 'Content-Type', 'application/json'],
        body: '{"x":1}',
      },
      { routeKey: 'POST /referrals', pathParameters: {} },
      { now: NOW },
    );

    expect(event.headers['x-trace']).toBe('one,two');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.body).toBe('{"x":1}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('leaves out what API Gateway leaves out: no query, no path parameters, no body, no authorizer on a public route', () => {
    const event = toHttpApiEvent({ method: 'GET', url: '/health', rawHeaders: ['Host', 'localhost'], body: '' }, { routeKey: 'GET /health', pathParameters: {} }, { now: NOW });

    expect(event.rawQueryString).toBe('');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('appends the client address to a forwarded-for chain, as a proxy does', () => {
    const event = toHttpApiEvent(
      { method: 'GET', url: '/health', rawHeaders: ['X-Forwarded-For', '10.0.0.1'], sourceIp: '192.168.1.5' },
      { routeKey: 'GET /health', pathParameters: {} },
      { now: NOW },
    );

    expect(event.headers['x-forwarded-for']).toBe('10.0.0.1,192.168.1.5');
    expect(event.requestContext.http.sourceIp).toBe('192.168.1.5');
  });
});

describe('helpers', () => {
  it('splits a target into raw path and raw query', () => {
    expect(splitTarget('/a/b?x=1&y')).toEqual({ rawPath: '/a/b', rawQueryString: 'x=1&y' });
    expect(splitTarget('/a')).toEqual({ rawPath: '/a', rawQueryString: '' });
  });

  it('gives a key without a value the empty string, and no map for an empty query', () => {
    expect(queryParameters('openBeds&limit=5')).toEqual({ openBeds: '', limit: '5' });
    expect(queryParameters('')).toBeUndefined();
  });

  it('formats requestContext.time as API Gateway does', () => {
    expect(apiGatewayTime(new Date('2020-03-12T19:03:58Z'))).toBe('12/Mar/2020:19:03:58 +0000');
  });
});
