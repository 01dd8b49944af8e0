import { createHash } from 'node:crypto';

/**
 * A stable hash of a request body: keys sorted at every level, so `{"a":1,"b":2}` and
 * `{"b":2,"a":1}` are the same request. An idempotent retry must send the same body; the same
 * key with a different body is refused rather than silently answered with the first result.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * "The same youth" for the sibling rule: one referrer scope (an agency) and one case reference.
 * Stored hashed, so the index that finds a youth's open referrals holds no case reference.
 */
export function youthKeyOf(referrerScope: string, caseRef: string): string {
  return createHash('sha256').update(`${referrerScope}\n${caseRef}`).digest('base64url');
}
