import { z } from 'zod';
import { ROUTES } from '../routes';
import { MATCHING_OPERATIONS } from '../matching/operations';
import { REFERRAL_OPERATIONS } from '../referrals/operations';
import type { OperationDoc } from './operations';
import { DIRECTORY_OPERATIONS } from './operations';

const OPERATIONS: Record<string, OperationDoc> = { ...DIRECTORY_OPERATIONS, ...MATCHING_OPERATIONS, ...REFERRAL_OPERATIONS };

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    requestId: { type: 'string' },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function queryParameters(doc: OperationDoc) {
  if (!doc.query) return [];
  const schema = jsonSchema(doc.query) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name) && !('default' in s),
    schema: s,
  }));
}

const STATUS_TEXT: Record<number, string> = {
  201: 'Created',
  400: 'Invalid input; `fields` names each field',
  401: 'No valid token',
  403: 'Not allowed for this caller or object',
  404: 'Not found',
  409: 'Conflicts with the object’s state',
  412: 'If-Match names a stale version',
  413: 'Body too large',
  422: 'Would break a domain invariant',
  428: 'If-Match required',
  503: 'Busy; retry after Retry-After seconds (nothing written)',
};

/** The OpenAPI 3.1 document of every route in the route table, from the zod schemas the handlers use. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const doc = OPERATIONS[route.fn];
    if (!doc) throw new Error(`No OpenAPI documentation for route function ${route.fn}`);
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const headers = (doc.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } }));
    const responses: Record<string, unknown> = { [doc.statuses?.includes(201) ? '201' : '200']: { description: 'OK' } };
    if (route.roles !== 'public') {
      for (const status of [400, 401, 403, ...(doc.statuses ?? []).filter((s) => s >= 400)]) {
        responses[String(status)] = { description: STATUS_TEXT[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      }
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.fn,
      summary: doc.summary,
      ...(route.roles === 'public' ? { security: [] } : { 'x-harbor-roles': route.roles }),
      parameters: [...pathParams, ...queryParameters(doc), ...headers],
      ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Harbor API', version: '1.0.0', description: 'Placement matching and resource directory for child welfare. See docs/ for the design.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: ERROR_SCHEMA },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
