/**
 * `GET /capacity/stale` filters a state's placements in memory, and in a state where most counts
 * are fresh a page of stale ones can lie behind thousands of fresh ones. One request must not read
 * the whole state (a 29 s limit, and a coordinator waiting): it reads at most its read budget and
 * hands back a cursor where it stopped, and following the cursors finds every stale count once,
 * in order. On DynamoDB Local.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../shared/auth/actor';
import { documentClient } from '../../shared/data/client';
import { placementItem } from '../../shared/data/placements';
import { listStaleCounts } from '../../shared/matching/stale-counts';
import { placement } from '../../shared/domain/matching/fixtures/builders';
import type { Placement } from '../../shared/schemas/directory';
import { putAll } from '../../scripts/bulk-write';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

const FRESH = 200;
/** Where the stale ones sit among the fresh, in the index's order (county, then id). */
const STALE_AT = [3, 70, 71, 150, 199];

let h: Harbor;
const coordinator: Actor = { sub: 'stale-coord', role: 'coordinator', jurisdiction: ['TX'] } as Actor;
const now = new Date();
const staleIds: string[] = [];

/** Placement `i` of the state, its count reported at `reportedAt`. */
const home = (i: number, reportedAt: string): Placement =>
  placement(`plc-stale-${String(i).padStart(4, '0')}`, 'austin', { capacity: { updatedAt: reportedAt } });

beforeAll(async () => {
  h = await startHarbor();
  const fresh = now.toISOString();
  const twoDaysAgo = new Date(now.getTime() - 48 * 3_600_000).toISOString();
  const placements = Array.from({ length: FRESH }, (_, i) => home(i, STALE_AT.includes(i) ? twoDaysAgo : fresh));
  for (const i of STALE_AT) staleIds.push(placements[i]!.id);
  await putAll(h.doc, h.tableName, placements.map(placementItem));
});

afterAll(async () => {
  await h?.close();
});

/** Every page from the first, each read's items counted from the Queries it sent. */
async function walk(readBudget?: number) {
  const pages: { ids: string[]; itemsRead: number }[] = [];
  let cursor: string | undefined;
  const client = documentClient();
  const send = client.send.bind(client);
  let itemsRead = 0;
  const spy = vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
    const out = (await send(command as never)) as { Items?: unknown[] };
    if (command instanceof QueryCommand && command.input.IndexName) itemsRead += out.Items?.length ?? 0;
    return out;
  }) as never);
  try {
    do {
      itemsRead = 0;
      const page = await listStaleCounts(coordinator, { freshness: ['stale'], limit: 20, ...(cursor ? { cursor } : {}) }, now, ...(readBudget ? [readBudget] : []));
      pages.push({ ids: page.items.map((i) => i.placementId), itemsRead });
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 100);
  } finally {
    spy.mockRestore();
  }
  return pages;
}

describe('the stale-count list reads a bounded number of items per request', () => {
  it('stops at its read budget with a cursor, and the cursors find every stale count once, in order', async () => {
    const pages = await walk(30);
    for (const page of pages) expect(page.itemsRead).toBeLessThanOrEqual(30);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(FRESH / 30));
    expect(pages.flatMap((p) => p.ids)).toEqual(staleIds);
  });

  it('with the default budget, a state of this size is one page', async () => {
    const pages = await walk();
    expect(pages).toHaveLength(1);
    expect(pages[0]!.ids).toEqual(staleIds);
  });
});
