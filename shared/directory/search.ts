import type { Point } from '../domain/geo';
import { distanceMiles } from '../domain/geo';
import type { Page } from '../data/cursor';
import { badCursor, decodeCursor, encodeCursor } from '../data/cursor';
import type { DirectoryKind } from '../data/directory-index';
import { indexPage, itemsNear } from '../data/directory-index';
import { STATES } from '../schemas/vocabulary';

/** Where a directory search reads: around a point, in a state, under one provider, or everywhere. */
export type SearchScope =
  | { near: Point; radiusMiles: number; state?: string; county?: string; providerId?: string }
  | { state: string; county?: string; providerId?: string }
  | { providerId: string }
  | { everywhere: true };

export interface SearchRequest<T> {
  kind: DirectoryKind;
  scope: SearchScope;
  limit: number;
  cursor?: string;
  fromItem: (item: Record<string, unknown>) => T;
  keep: (entity: T) => boolean;
}

export interface Located {
  id: string;
  providerId: string;
  location: Point & { state: string; county?: string };
}

const countyName = (c: string) => c.trim().toLowerCase().replace(/\s+(county|parish|borough)$/, '');
const sameCounty = (a: string | undefined, b: string) => countyName(a ?? '') === countyName(b);

/**
 * One page of a directory search. Near a point: the geo index gives every candidate in the
 * covering cells (never a table scan); they are filtered by true distance and the search's
 * filters, ordered by (distance, id), and the cursor is the last (distance, id) returned. Other
 * scopes page through one index partition (or the state partitions in turn, for "everywhere").
 */
export async function searchDirectory<T extends Located>(req: SearchRequest<T>): Promise<Page<{ entity: T; distanceMiles?: number }>> {
  const { scope } = req;
  if ('near' in scope) {
    const after = req.cursor ? readDistanceCursor(req.cursor) : undefined;
    const candidates = await itemsNear(req.kind, scope.near, scope.radiusMiles);
    const hits = candidates
      .map(req.fromItem)
      .map((entity) => ({ entity, distanceMiles: distanceMiles(scope.near, entity.location) }))
      .filter(
        (h) =>
          h.distanceMiles <= scope.radiusMiles &&
          (!scope.state || h.entity.location.state === scope.state) &&
          (!scope.county || sameCounty(h.entity.location.county, scope.county)) &&
          (!scope.providerId || h.entity.providerId === scope.providerId) &&
          req.keep(h.entity),
      )
      .sort((a, b) => a.distanceMiles - b.distanceMiles || (a.entity.id < b.entity.id ? -1 : a.entity.id > b.entity.id ? 1 : 0))
      .filter((h) => !after || h.distanceMiles > after.d || (h.distanceMiles === after.d && h.entity.id > after.id));
    const items = hits.slice(0, req.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: hits.length > req.limit && last ? encodeCursor({ d: last.distanceMiles, id: last.entity.id }) : null,
    };
  }

  const keep = (item: Record<string, unknown>) => {
    const entity = req.fromItem(item);
    if ('providerId' in scope && scope.providerId && entity.providerId !== scope.providerId) return false;
    return req.keep(entity);
  };
  const toPage = (page: { items: Record<string, unknown>[]; nextCursor: string | null }) => ({
    items: page.items.map((item) => ({ entity: req.fromItem(item) })),
    nextCursor: page.nextCursor,
  });

  if ('state' in scope) {
    return toPage(await indexPage({ kind: req.kind, by: { state: scope.state, ...(scope.county ? { county: scope.county } : {}) }, limit: req.limit, ...(req.cursor ? { cursor: req.cursor } : {}), keep }));
  }
  if ('providerId' in scope) {
    return toPage(await indexPage({ kind: req.kind, by: { providerId: scope.providerId }, limit: req.limit, ...(req.cursor ? { cursor: req.cursor } : {}), keep }));
  }

  // Everywhere: the state partitions one after another, so the whole directory is still read
  // through the index in a stable order. The cursor carries the state and the position in it.
  const position = req.cursor ? decodeCursor(req.cursor) : {};
  let stateIndex = typeof position.s === 'number' ? position.s : 0;
  if (!Number.isInteger(stateIndex) || stateIndex < 0 || stateIndex >= STATES.length) throw badCursor();
  let inner = typeof position.c === 'string' ? position.c : undefined;
  const items: { entity: T }[] = [];
  while (items.length < req.limit && stateIndex < STATES.length) {
    const page = await indexPage({ kind: req.kind, by: { state: STATES[stateIndex]! }, limit: req.limit - items.length, ...(inner ? { cursor: inner } : {}), keep });
    items.push(...page.items.map((item) => ({ entity: req.fromItem(item) })));
    if (page.nextCursor) {
      inner = page.nextCursor;
    } else {
      stateIndex++;
      inner = undefined;
    }
  }
  const done = stateIndex >= STATES.length;
  return { items, nextCursor: done ? null : encodeCursor({ s: stateIndex, ...(inner ? { c: inner } : {}) }) };
}

function readDistanceCursor(cursor: string): { d: number; id: string } {
  const value = decodeCursor(cursor);
  if (typeof value.d !== 'number' || typeof value.id !== 'string') throw badCursor();
  return { d: value.d, id: value.id };
}
