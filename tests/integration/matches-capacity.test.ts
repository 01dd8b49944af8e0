/**
 * A match reads a placement's capacity from the matching index, which carries compact copies of
 * the counts (`matchCount`, `matchConfirmedAt`) and the holds, not the `capacity` map itself
 * (shared/data/match-cards.ts). These check, on DynamoDB Local, that after every kind of write
 * that changes capacity the index hands a match exactly the placement's own counts, holds, update
 * and confirmation; and that the backfill brings an item of the older layout (holds inside the
 * map, no copies) to this one without losing a hold.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placementFromMatchItem } from '../../shared/data/match-cards';
import { getPlacement } from '../../shared/data/placements';
import { HarborTable } from '../../shared/data/table';
import { backfillMatchCards } from '../../scripts/backfill-match-cards';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';
import type { Actors } from './referrals-fixtures';
import { PROVIDER, act, actors, putPlacement, referralFor } from './referrals-fixtures';

let harbor: Harbor;
let who: Actors;

beforeAll(async () => {
  harbor = await startHarbor();
  who = await actors(harbor);
});

afterAll(async () => {
  await harbor?.close();
});

const itemKey = (id: string) => ({ pk: `PLACEMENT#${id}`, sk: 'PLACEMENT' });

/** The placement's item as a Query of the matching index returns it. */
async function indexItem(id: string): Promise<Record<string, unknown>> {
  const item = (await harbor.doc.send(new GetCommand({ TableName: harbor.tableName, Key: itemKey(id), ConsistentRead: true }))).Item!;
  const { forMatching } = HarborTable.indexes;
  const out = await harbor.doc.send(
    new QueryCommand({
      TableName: harbor.tableName,
      IndexName: forMatching.name,
      KeyConditionExpression: '#pk = :pk AND #sk = :sk',
      ExpressionAttributeNames: { '#pk': forMatching.partitionKey, '#sk': forMatching.sortKey },
      ExpressionAttributeValues: { ':pk': item[forMatching.partitionKey], ':sk': item[forMatching.sortKey] },
    }),
  );
  expect(out.Items).toHaveLength(1);
  return out.Items![0]!;
}

/** What a match sees of the capacity, beside what the placement has. */
async function bothViews(id: string) {
  const { total, occupied, holds, updatedAt, confirmedAt } = (await getPlacement(id, { consistent: true }))!.capacity;
  return { index: placementFromMatchItem(await indexItem(id)).capacity, placement: { total, occupied, holds, updatedAt, confirmedAt } };
}

async function expectIndexMatchesPlacement(id: string) {
  const { index, placement } = await bothViews(id);
  expect(index).toStrictEqual(placement);
  return placement;
}

const version = async (id: string) => (await getPlacement(id, { consistent: true }))!.capacity.version;

describe("the matching index's capacity is the placement's own after every capacity write", () => {
  it('count update, confirmation, hold, release, admission, and an update that clears a lapsed hold', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 4, occupied: 1 });
    const id = placement.id;
    await expectIndexMatchesPlacement(id);

    const put = await harbor.request('PUT', `/placements/${id}/capacity`, { token: who.provider, body: { total: 5, occupied: 2 }, headers: { 'if-match': String(await version(id)) } });
    expect(put.status, put.text).toBe(200);
    expect(await expectIndexMatchesPlacement(id)).toMatchObject({ total: 5, occupied: 2 });

    const confirm = await harbor.request('POST', `/placements/${id}/capacity/confirm`, { token: who.provider, headers: { 'if-match': String(await version(id)) } });
    expect(confirm.status, confirm.text).toBe(200);
    expect((await expectIndexMatchesPlacement(id)).confirmedAt).not.toBeNull();

    const first = await referralFor(harbor, who.caseworker, id);
    expect((await act(harbor, who.provider, first.id, 'accept')).status).toBe(200);
    expect(Object.keys((await expectIndexMatchesPlacement(id)).holds)).toStrictEqual([first.id]);

    const second = await referralFor(harbor, who.caseworker, id);
    expect((await act(harbor, who.provider, second.id, 'accept')).status).toBe(200);
    expect((await act(harbor, who.caseworker, second.id, 'withdraw', { reason: 'no_longer_needed' })).status).toBe(200);
    expect(Object.keys((await expectIndexMatchesPlacement(id)).holds)).toStrictEqual([first.id]);

    expect((await act(harbor, who.provider, first.id, 'place')).status).toBe(200);
    expect(await expectIndexMatchesPlacement(id)).toMatchObject({ occupied: 3, holds: {} });

    // A hold that has lapsed is removed by the next count update, in the same write.
    const third = await referralFor(harbor, who.caseworker, id);
    expect((await act(harbor, who.provider, third.id, 'accept')).status).toBe(200);
    await harbor.doc.send(
      new UpdateCommand({
        TableName: harbor.tableName,
        Key: itemKey(id),
        UpdateExpression: 'SET #holds.#rid = :past',
        ExpressionAttributeNames: { '#holds': 'holds', '#rid': third.id },
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    const after = await harbor.request('PUT', `/placements/${id}/capacity`, { token: who.provider, body: { total: 5, occupied: 3 }, headers: { 'if-match': String(await version(id)) } });
    expect(after.status, after.text).toBe(200);
    expect(await expectIndexMatchesPlacement(id)).toMatchObject({ total: 5, occupied: 3, holds: {} });
  });
});

describe('an item of the older capacity layout (holds inside the map, no copies for the index)', () => {
  /** Rewrites the placement's item as the older code stored it. */
  async function asOlderLayout(id: string, holds: Record<string, string>) {
    const item = (await harbor.doc.send(new GetCommand({ TableName: harbor.tableName, Key: itemKey(id), ConsistentRead: true }))).Item!;
    const { holds: _holds, matchCount: _count, matchConfirmedAt: _confirmed, ...rest } = item;
    await harbor.doc.send(new PutCommand({ TableName: harbor.tableName, Item: { ...rest, capacity: { ...(item.capacity as object), holds } } }));
  }

  it('is ranked by a match before the backfill, from its table item, with its holds', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 2, occupied: 0 });
    const standing = await referralFor(harbor, who.caseworker, placement.id);
    await asOlderLayout(placement.id, { [standing.id]: new Date(Date.now() + 3_600_000).toISOString() });

    const res = await harbor.request<{ results: { placementId: string; available: number; onHold: number }[] }>('POST', '/matches', {
      token: who.caseworker,
      body: { youth: { age: 15, gender: 'female', location: { zip: '78701' }, preferences: { maxDistanceMiles: 10 } }, options: { limit: 100 } },
    });
    expect(res.status, res.text).toBe(200);
    // Its one hold in force leaves one of its two beds open.
    expect(res.json.results.find((r) => r.placementId === placement.id)).toMatchObject({ available: 1, onHold: 1 });
  });

  it('is read with its holds; hold and count writes to it fail; the backfill moves the holds and writes the copies', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 3, occupied: 0 });
    const standing = await referralFor(harbor, who.caseworker, placement.id);
    const held = new Date(Date.now() + 3_600_000).toISOString();
    await asOlderLayout(placement.id, { [standing.id]: held });

    expect((await getPlacement(placement.id, { consistent: true }))!.capacity.holds).toStrictEqual({ [standing.id]: held });
    // Not applied, not half-applied: its holds would otherwise be counted in two places.
    const other = await referralFor(harbor, who.caseworker, placement.id);
    expect((await act(harbor, who.provider, other.id, 'accept')).status).not.toBe(200);
    const put = await harbor.request('PUT', `/placements/${placement.id}/capacity`, { token: who.provider, body: { total: 3, occupied: 1 }, headers: { 'if-match': String(await version(placement.id)) } });
    expect(put.status).not.toBe(200);

    await backfillMatchCards(harbor.doc, harbor.tableName);
    const stored = (await harbor.doc.send(new GetCommand({ TableName: harbor.tableName, Key: itemKey(placement.id), ConsistentRead: true }))).Item!;
    expect(stored.holds).toStrictEqual({ [standing.id]: held });
    expect((stored.capacity as Record<string, unknown>).holds).toBeUndefined();
    expect((await expectIndexMatchesPlacement(placement.id)).holds).toStrictEqual({ [standing.id]: held });
    expect((await backfillMatchCards(harbor.doc, harbor.tableName)).updated).toBe(0);

    expect((await act(harbor, who.provider, other.id, 'accept')).status).toBe(200);
    expect(Object.keys((await expectIndexMatchesPlacement(placement.id)).holds).sort()).toStrictEqual([standing.id, other.id].sort());
  });
});
