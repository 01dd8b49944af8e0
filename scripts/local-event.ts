/**
 * Builds the event API Gateway's HTTP API hands a Lambda (payload format 2.0), from a plain HTTP
 * request, so the local server calls handlers with exactly what they get in AWS:
 *
 * - header names lower-cased; a repeated header's values joined with `,`; the `cookie` header
 *   moved to `cookies` (one entry per cookie);
 * - `queryStringParameters` decoded, a repeated key's values joined with `,` (the raw form stays
 *   in `rawQueryString`); absent when there is no query string, as is `pathParameters` when the
 *   route has none;
 * - `requestContext.authorizer.jwt` only on routes that have the authorizer, claims as strings.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface LocalRequest {
  method: string;
  /** The request target as received: path plus optional `?query`. */
  url: string;
  /** Node's `req.rawHeaders`: name, value, name, value… (keeps repeats and their order). */
  rawHeaders: readonly string[];
  body?: string;
  sourceIp?: string;
  /** `HTTP/1.1`. */
  protocol?: string;
}

export interface RouteMatch {
  /** `GET /placements/{id}`. */
  routeKey: string;
  /** Decoded path parameters; empty when the route has none. */
  pathParameters: Record<string, string>;
  /** The verified claims (authorizer shape); absent on public routes. */
  claims?: Record<string, string>;
}

export type HttpApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/** Splits a request target into API Gateway's `rawPath` and `rawQueryString`. */
export function splitTarget(url: string): { rawPath: string; rawQueryString: string } {
  const q = url.indexOf('?');
  return q === -1 ? { rawPath: url, rawQueryString: '' } : { rawPath: url.slice(0, q), rawQueryString: url.slice(q + 1) };
}

/** Repeated keys joined with `,`, as API Gateway v2 does; undefined when there is no query. */
export function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  return Object.keys(params).length === 0 ? undefined : params;
}

function headerMaps(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] | undefined } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies: cookies.length > 0 ? cookies : undefined };
}

/** Builds the payload-2.0 event for one request that matched `route`. */
export function toHttpApiEvent(
  request: LocalRequest,
  route: RouteMatch,
  options: { requestId?: string; now?: Date; port?: number } = {},
): HttpApiEvent {
  const now = options.now ?? new Date();
  const { rawPath, rawQueryString } = splitTarget(request.url);
  const { headers, cookies } = headerMaps(request.rawHeaders);
  const sourceIp = (request.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, '');
  // API Gateway's domainName has no port; the Host header locally does.
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  // API Gateway adds these on the way in; handlers that log a client address read them.
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']},${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  if (options.port !== undefined) headers['x-forwarded-port'] ??= String(options.port);
  const queryStringParameters = queryParameters(rawQueryString);
  const hasPathParameters = Object.keys(route.pathParameters).length > 0;

  // Public routes have no authorizer in AWS, so their events carry none (the type insists on one).
  const requestContext = {
    accountId: 'local',
    apiId: 'local',
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
    http: {
      method: request.method.toUpperCase(),
      path: rawPath,
      protocol: request.protocol ?? 'HTTP/1.1',
      sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: options.requestId ?? randomUUID(),
    routeKey: route.routeKey,
    stage: '$default',
    time: apiGatewayTime(now),
    timeEpoch: now.getTime(),
  } as HttpApiEvent['requestContext'];
  if (route.claims) requestContext.authorizer = { jwt: { claims: route.claims, scopes: null } };

  const event: HttpApiEvent = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext,
    isBase64Encoded: false,
  };
  if (cookies) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (hasPathParameters) event.pathParameters = route.pathParameters;
  if (request.body !== undefined && request.body !== '') event.body = request.body;
  return event;
}
