import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { actorFromClaims } from '../auth/actor';
import { Forbidden, HarborError, PayloadTooLarge, ServiceUnavailable, ValidationFailed } from '../errors';
import type { RouteDef, RouteFn } from '../routes';
import { routeByFn } from '../routes';
import { log } from './logger';
import type { HttpResult } from './responses';
import { parseOrThrow } from './validation';

/** No legitimate Harbor request body comes near this; a larger one is refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export type HarborEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HarborResult = APIGatewayProxyStructuredResultV2;

/** The parsed, authenticated request a handler's domain call receives. */
export interface HarborRequest<B, Q, P> {
  actor: Actor;
  body: B;
  query: Q;
  params: P;
  /** Lower-cased header names, as API Gateway v2 delivers them. */
  headers: Record<string, string | undefined>;
  requestId: string;
}

interface HarborContext extends Context {
  harbor?: { requestId: string; actor?: Actor; body?: unknown; query?: unknown; params?: unknown };
}

interface Schemas<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  body?: B;
  query?: Q;
  params?: P;
}

/** Assigns the request id every response and audit record carries. */
function requestIdentity(): MiddlewareObj<HarborEvent, HarborResult, Error, HarborContext> {
  return {
    before: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId ?? crypto.randomUUID();
      request.context.harbor = { requestId };
    },
  };
}

/** Reads the verified claims (API Gateway's authorizer, or the local server's) and applies the route's role gate. */
function authenticate(route: RouteDef): MiddlewareObj<HarborEvent, HarborResult, Error, HarborContext> {
  return {
    before: (request) => {
      if (route.roles === 'public') return;
      const actor = actorFromClaims(request.event.requestContext?.authorizer?.jwt?.claims);
      if (!route.roles.includes(actor.role)) {
        throw new Forbidden(`The ${actor.role} role may not call ${route.method} ${route.path}.`);
      }
      request.context.harbor!.actor = actor;
    },
  };
}

function parseJsonBody(event: HarborEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES);
  try {
    return JSON.parse(raw) as unknown;
  } catch (cause) {
    throw new ValidationFailed('The body is not valid JSON.', [{ path: 'body', message: 'invalid JSON' }], cause);
  }
}

/** Strict parsing of body, query and path parameters; a failure is a 400 naming each field. */
function validateRequest<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  schemas: Schemas<B, Q, P>,
): MiddlewareObj<HarborEvent, HarborResult, Error, HarborContext> {
  return {
    before: (request) => {
      const { event } = request;
      const harbor = request.context.harbor!;
      const body = parseJsonBody(event);
      if (schemas.body) {
        if (body === undefined) throw new ValidationFailed('A JSON body is required.', [{ path: 'body', message: 'required' }]);
        harbor.body = parseOrThrow(schemas.body, body, 'body');
      } else if (body !== undefined && !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
        throw new ValidationFailed('This route takes no body.', [{ path: 'body', message: 'unexpected body' }]);
      }
      harbor.query = parseOrThrow(schemas.query ?? z.strictObject({}), event.queryStringParameters ?? {}, 'query string');
      harbor.params = parseOrThrow(schemas.params ?? z.record(z.string(), z.string()), event.pathParameters ?? {}, 'path');
    },
  };
}

function toResponse(status: number, body: unknown, headers: Record<string, string> = {}): HarborResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/**
 * Maps every error to the contract's error shape. It copes with a `before` step that never ran
 * (no harbor context yet), and a 5xx never carries the cause or a stack trace.
 */
function errorResponses(route: RouteDef): MiddlewareObj<HarborEvent, HarborResult, Error, HarborContext> {
  return {
    onError: (request) => {
      const requestId = request.context.harbor?.requestId ?? request.context.awsRequestId ?? 'unknown';
      const error = request.error;
      if (error instanceof HarborError) {
        const headers: Record<string, string> = {};
        if (error instanceof ServiceUnavailable) headers['retry-after'] = String(error.retryAfterSeconds);
        const payload: Record<string, unknown> = { code: error.code, message: error.message };
        if (error.fields && error.fields.length > 0) payload.fields = error.fields;
        if (error.status >= 500) log('error', 'request failed', { requestId, route: route.fn, code: error.code, cause: String(error.cause ?? '') });
        request.response = toResponse(error.status, { error: payload, requestId }, headers);
        return;
      }
      log('error', 'unhandled error', { requestId, route: route.fn, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      request.response = toResponse(500, { error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' }, requestId });
    },
  };
}

/**
 * Builds the Lambda handler for one route of the route table: request id → auth and role gate →
 * strict validation → `run` → response. Handlers stay thin: `run` parses nothing itself and calls
 * the domain.
 */
export function routeHandler<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  P extends z.ZodType = z.ZodRecord<z.ZodString, z.ZodString>,
>(fn: RouteFn, schemas: Schemas<B, Q, P>, run: (req: HarborRequest<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<HttpResult>) {
  const route = routeByFn(fn);
  return middy<HarborEvent, HarborResult, Error, HarborContext>()
    .use(errorResponses(route))
    .use(requestIdentity())
    .use(authenticate(route))
    .use(validateRequest(schemas))
    .handler(async (event, context) => {
      const harbor = context.harbor!;
      const result = await run({
        actor: harbor.actor as Actor,
        body: harbor.body as z.infer<B>,
        query: harbor.query as z.infer<Q>,
        params: harbor.params as z.infer<P>,
        headers: event.headers ?? {},
        requestId: harbor.requestId,
      });
      return toResponse(result.status, result.body, result.headers);
    });
}
