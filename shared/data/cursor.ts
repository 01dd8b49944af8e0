import { ValidationFailed } from '../errors';

/**
 * Cursors are opaque to clients: base64url JSON of where the next page starts. A cursor is
 * validated before use — each data module checks it belongs to the partition being read — so a
 * crafted cursor cannot steer a query into another partition.
 */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the 400
  }
  throw badCursor();
}

export function badCursor(): ValidationFailed {
  return new ValidationFailed('The cursor is not one this list returned.', [{ path: 'cursor', message: 'invalid cursor' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
