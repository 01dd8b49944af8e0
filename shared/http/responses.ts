/** What a handler returns; the HTTP layer turns it into API Gateway's result shape. */
export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown, headers?: Record<string, string>): HttpResult {
  return { status: 200, body, ...(headers ? { headers } : {}) };
}

export function created(body: unknown, headers?: Record<string, string>): HttpResult {
  return { status: 201, body, ...(headers ? { headers } : {}) };
}

/** An ETag carrying a versioned object's version, so clients can echo it in `If-Match`. */
export function etag(version: number): Record<string, string> {
  return { etag: `"${version}"` };
}
