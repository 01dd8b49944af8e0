import { PreconditionRequired, ValidationFailed } from '../errors';

/**
 * Reads `If-Match: <version>` (also accepted quoted, or as a weak ETag, since HTTP clients echo
 * the ETag they were given). Returns undefined when absent and not required.
 */
export function readIfMatch(headers: Record<string, string | undefined>, options: { required: boolean }): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined || raw.trim() === '') {
    if (options.required) throw new PreconditionRequired();
    return undefined;
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!match) throw new ValidationFailed('If-Match must be a version number.', [{ path: 'If-Match', message: 'must be a version number' }]);
  return Number(match[1]);
}
