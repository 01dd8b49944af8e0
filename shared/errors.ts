/**
 * Every failure Harbor reports to a client is one of these classes. Each carries a stable `code`
 * (clients switch on it) and the HTTP status the HTTP layer maps it to; nothing else reaches a
 * client (see shared/http/errors-middleware.ts).
 */

export interface FieldProblem {
  path: string;
  message: string;
}

export abstract class HarborError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[] | undefined;

  constructor(code: string, message: string, options: { fields?: FieldProblem[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fields = options.fields;
  }
}

/** 400: the request is malformed; `fields` names each offending field. */
export class ValidationFailed extends HarborError {
  readonly status = 400;
  constructor(message: string, fields: FieldProblem[] = [], cause?: unknown) {
    super('validation_failed', message, { fields, cause });
  }
}

/** 401: no token, or a token that does not verify. */
export class Unauthenticated extends HarborError {
  readonly status = 401;
  constructor(message = 'Sign in: a valid bearer token is required.') {
    super('unauthenticated', message);
  }
}

/** 403: a signed-in caller asks for something their role or object ownership does not allow. */
export class Forbidden extends HarborError {
  readonly status = 403;
  constructor(message = 'You may not do this.') {
    super('forbidden', message);
  }
}

/** 404: no such object, or one the caller may not know exists. */
export class NotFound extends HarborError {
  readonly status = 404;
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} was not found.`);
  }
}

/** 409: the object is in a state that does not allow this (e.g. an illegal referral transition). */
export class Conflict extends HarborError {
  readonly status = 409;
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

/** 412: `If-Match` named a version that is no longer current. */
export class VersionMismatch extends HarborError {
  readonly status = 412;
  constructor(expected: number, actual: number) {
    super('version_mismatch', `If-Match named version ${expected} but the current version is ${actual}; read it again.`);
  }
}

/** 428: a write that needs `If-Match` came without it. */
export class PreconditionRequired extends HarborError {
  readonly status = 428;
  constructor(message = 'This write needs an If-Match header with the current version.') {
    super('precondition_required', message, { fields: [{ path: 'If-Match', message: 'required' }] });
  }
}

/** 413: the body is larger than any legitimate request. */
export class PayloadTooLarge extends HarborError {
  readonly status = 413;
  constructor(limitBytes: number) {
    super('payload_too_large', `The request body is larger than ${limitBytes} bytes.`, {
      fields: [{ path: 'body', message: `at most ${limitBytes} bytes` }],
    });
  }
}

/** 422: well-formed, but it would break a domain invariant (named in `code` and `fields`). */
export class InvariantViolated extends HarborError {
  readonly status = 422;
  constructor(code: string, message: string, fields: FieldProblem[] = []) {
    super(code, message, { fields });
  }
}

/** 503: a transient fault outlasted our retries; nothing was written, try again after `retryAfterSeconds`. */
export class ServiceUnavailable extends HarborError {
  readonly status = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super('service_unavailable', message, { cause });
  }
}
