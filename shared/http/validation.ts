import type { z } from 'zod';
import type { FieldProblem } from '../errors';
import { ValidationFailed } from '../errors';

/** Zod issues → the `fields` of a 400, one entry per offending field (unknown keys each named). */
export function fieldProblems(error: z.ZodError, prefix: string[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: base.join('.') || prefix.join('.') || '(root)', message: issue.message }];
  });
}

/** Parses `value` with `schema` or throws a 400 naming every field that failed. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix: string[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = fieldProblems(result.error, prefix);
    throw new ValidationFailed(`The ${what} is not valid: ${fields.map((f) => `${f.path} (${f.message})`).join('; ')}.`, fields);
  }
  return result.data;
}
