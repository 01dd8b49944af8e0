/**
 * `GET /capacity/stale` reads the report-time index (gsi5: a state's placements by when their
 * count was last reported or confirmed), so a request reads the counts old enough to list and
 * not the fresh ones around them, oldest first; every count write keeps the index in step (a
 * count just reported or confirmed is not read again). On DynamoDB Local.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../shared/auth/actor';
import { documentClient } from '../../shared/data/client';
import { placementItem } from '../../shared/data/placements';
import { listStaleCounts } from '../../shared/matching/stale-counts';
import { placement } from '../../shared/domain/matching/fixtures/builders';
import type { Placement } from '../../shared/schemas/directory';
import type { Freshness } from '../../shared/schemas/vocabulary';
import { backfillMatchCards } from '../../scripts/backfill-match-cards';
import { putAll } from '../../scripts/bulk-write';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

const PLACEMENTS = 200;
const HOUR = 3_600_000;
/** Placement i → hours since its count was reported; null: never reported. The rest are fresh. */
const OLD = new Map<number, number | null>([[3, 48], [70, 30], [71, 72], [100, 5], [120, null], [150, 10], [199, 20]]);
/** The stale ones (over 8 h), oldest first. */
const STALE_ORDER = [71, 3, 70, 199, 150];

let h: Harbor;
let admin: string;
const coordinator: Actor = { sub: 'stale-coord', role: 'coordinator', jurisdiction: ['TX'] } as Actor;
const now = new Date();
const idOf = (i: number) => `plc-stale-${String(i).padStart(4, '0')}`;

/** Placement `i` of the state, its count reported `hoursAgo` (never, for null). */
const home = (i: number, hoursAgo: number | null): Placement =>
  placement(idOf(i), 'austin', { capacity: { updatedAt: hoursAgo === null ? null : new Date(now.getTime() - hoursAgo * HOUR).toISOString() } });

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin' });
  const placements = Array.from({ length: PLACEMENTS }, (_, i) => home(i, OLD.has(i) ? OLD.get(i)! : 0));
  await putAll(h.doc, h.tableName, placements.map(placementItem));
});

afterAll(async () => {
  await h?.close();
});

/** Every page from the first, each with the items its index Queries returned. */
async function walk(freshness: Exclude<Freshness, 'fresh'>[], readBudget?: number) {
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
      const page = await listStaleCounts(coordinator, { freshness, limit: 20, ...(cursor ? { cursor } : {}) }, new Date(), ...(readBudget ? [readBudget] : []));
      pages.push({ ids: page.items.map((i) => i.placementId), itemsRead });
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 100);
  } finally {
    spy.mockRestore();
  }
  return pages;
}

describe('the stale-count list reads the counts old enough, not the state', () => {
  it('lists the stale counts oldest first in one page, reading those alone', async () => {
    expect(await walk(['stale'])).toEqual([{ ids: STALE_ORDER.map(idOf), itemsRead: STALE_ORDER.length }]);
  });

  it('never-reported counts first when asked; aging ones read with the stale ones', async () => {
    expect(await walk(['unknown', 'stale'])).toEqual([{ ids: [120, ...STALE_ORDER].map(idOf), itemsRead: 6 }]);
    expect(await walk(['aging'])).toEqual([{ ids: [idOf(100)], itemsRead: 6 }]);
  });

  it('a request stops at its read budget with a cursor, and the cursors find every stale count once, in order', async () => {
    const pages = await walk(['stale'], 2);
    for (const page of pages) expect(page.itemsRead).toBeLessThanOrEqual(2);
    expect(pages.flatMap((p) => p.ids)).toEqual(STALE_ORDER.map(idOf));
  });

  it('a cursor from a list of other bands is refused as a cursor, not sent to DynamoDB', async () => {
    const first = await listStaleCounts(coordinator, { freshness: ['stale'], limit: 1 }, new Date());
    expect(first.nextCursor).not.toBeNull();
    await expect(listStaleCounts(coordinator, { freshness: ['unknown'], limit: 1, cursor: first.nextCursor! }, new Date())).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/cursor/i) });
  });

  it('a count updated or confirmed leaves the range in the same write', async () => {
    const updated = await h.request('PUT', `/placements/${idOf(71)}/capacity`, { token: admin, body: { total: 4, occupied: 3 }, headers: { 'if-match': '1' } });
    expect(updated.status, updated.text).toBe(200);
    const confirmed = await h.request('POST', `/placements/${idOf(70)}/capacity/confirm`, { token: admin });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(await walk(['stale'])).toEqual([{ ids: [3, 199, 150].map(idOf), itemsRead: 3 }]);
  });

  it('an inactive placement is not in the index (not read); active again, it is listed in order', async () => {
    const before = (await walk(['stale']))[0]!;
    const patch = async (active: boolean, version: number) => {
      const res = await h.request('PATCH', `/placements/${idOf(199)}`, { token: admin, body: { active }, headers: { 'if-match': String(version) } });
      expect(res.status, res.text).toBe(200);
    };
    await patch(false, 1);
    expect(await walk(['stale'])).toEqual([{ ids: before.ids.filter((id) => id !== idOf(199)), itemsRead: before.itemsRead - 1 }]);
    await patch(true, 2);
    expect(await walk(['stale'])).toEqual([before]);
  });

  it('a placement moved to another state is listed there, not here', async () => {
    const before = (await walk(['stale']))[0]!;
    const moved = before.ids.at(-1)!;
    const oklahomaCity = { city: 'Oklahoma City', county: 'Oklahoma', state: 'OK', zip: '73102', lat: 35.4676, lon: -97.5164, confidential: false, address: '1 Main St' };
    const version = (await h.request<{ version: number }>('GET', `/placements/${moved}`, { token: admin })).json.version;
    const res = await h.request('PATCH', `/placements/${moved}`, { token: admin, body: { location: oklahomaCity }, headers: { 'if-match': String(version) } });
    expect(res.status, res.text).toBe(200);
    expect((await walk(['stale']))[0]!.ids).toEqual(before.ids.slice(0, -1));
    const inOklahoma = await listStaleCounts({ sub: 'stale-admin', role: 'admin' } as Actor, { state: ['OK'], freshness: ['stale'], limit: 20 }, new Date());
    expect(inOklahoma.items.map((i) => i.placementId)).toEqual([moved]);
  });

  it('a placement stored before the index is listed once the backfill gives it its keys', async () => {
    const before = (await walk(['stale']))[0]!;
    const { gsi5pk: _pk, gsi5sk: _sk, ...older } = placementItem(home(500, 100));
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: older }));
    expect((await walk(['stale']))[0]!.ids).not.toContain(idOf(500));
    expect((await backfillMatchCards(h.doc, h.tableName)).updated).toBe(1);
    // The oldest count of all (100 hours), so first.
    expect(await walk(['stale'])).toEqual([{ ids: [idOf(500), ...before.ids], itemsRead: before.itemsRead + 1 }]);
  });
});
