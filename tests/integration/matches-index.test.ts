/**
 * A match reads the matching index (gsi4: match cards and live capacity), not the whole items.
 * These check, through the local server on DynamoDB Local, that what a match sees is the
 * directory as it is now: counts, profile changes, a provider's deactivation and services, and
 * that a table from before the index is brought up to date (index added, cards backfilled).
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_CARD_VERSION, placementFromMatchItem } from '../../shared/data/match-cards';
import { getPlacement, placementItem } from '../../shared/data/placements';
import { getProvider, providerItem } from '../../shared/data/providers';
import { createTableInput } from '../../shared/data/table';
import type { Placement } from '../../shared/schemas/directory';
import { backfillMatchCards } from '../../scripts/backfill-match-cards';
import { ensureTable } from '../../scripts/local-table';
import { createAs, placementBody, providerBody, serviceBody } from '../support/directory-fixtures';
import { deleteTable, uniqueTableName } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface MatchBody {
  results: { placementId: string; available: number; wraparound: { serviceId: string; need: string }[] }[];
  excluded: { placementId: string; rules: string[] }[];
  counts: { candidates: number };
}

let h: Harbor;
let admin: string;
let caseworker: string;
const ids = { provider: '', placement: '', service: '' };

const girl = { age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_confirmed', 'substance_use'], runRisk: 'high' };
async function match(): Promise<MatchBody> {
  const res = await h.request<MatchBody>('POST', '/matches', { token: caseworker, body: { youth: girl, options: { explainExcluded: true, includeFull: false } } });
  expect(res.status, res.text).toBe(200);
  return res.json;
}
const resultFor = (m: MatchBody, id: string) => m.results.find((r) => r.placementId === id);
const rulesFor = (m: MatchBody, id: string) => m.excluded.find((e) => e.placementId === id)?.rules;

async function patch(path: string, body: unknown, version: number) {
  const res = await h.request('PATCH', path, { token: admin, body, headers: { 'if-match': String(version) } });
  expect(res.status, res.text).toBe(200);
}

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'ix-admin' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'ix-cw', agencyId: 'agency-travis' });
  const create = (path: string, body: unknown) => createAs(h, admin, path, body);
  ids.provider = await create('/providers', providerBody({ name: 'Index House Provider' }));
  ids.placement = await create('/placements', placementBody(ids.provider, { name: 'Index House', capacity: { total: 6, occupied: 2 } }));
  ids.service = await create('/services', serviceBody(ids.provider, { name: 'Riverside Recovery', category: 'substance_use_treatment', modality: 'in_person', serviceArea: { radiusMiles: 40, states: [] } }));
});

afterAll(async () => {
  await h?.close();
});

describe('a match sees the directory as it is now', () => {
  it('a new count: the open beds change, and a full program is excluded for it', async () => {
    expect(resultFor(await match(), ids.placement)?.available).toBe(4);

    const fewer = await h.request('PUT', `/placements/${ids.placement}/capacity`, { token: admin, body: { total: 6, occupied: 5 }, headers: { 'if-match': '1' } });
    expect(fewer.status, fewer.text).toBe(200);
    expect(resultFor(await match(), ids.placement)?.available).toBe(1);

    const full = await h.request('PUT', `/placements/${ids.placement}/capacity`, { token: admin, body: { total: 6, occupied: 6 }, headers: { 'if-match': '2' } });
    expect(full.status, full.text).toBe(200);
    const m = await match();
    expect(resultFor(m, ids.placement)).toBeUndefined();
    expect(rulesFor(m, ids.placement)).toStrictEqual(['no_bed_available']);

    const reopened = await h.request('PUT', `/placements/${ids.placement}/capacity`, { token: admin, body: { total: 6, occupied: 3 }, headers: { 'if-match': '3' } });
    expect(reopened.status, reopened.text).toBe(200);
  });

  it('a profile change: a program that no longer takes 15-year-olds is excluded, and taken again once it does', async () => {
    await patch(`/placements/${ids.placement}`, { population: { minAge: 16, maxAge: 20, genders: ['female'], acceptsPregnant: true, acceptsParenting: false } }, 1);
    expect(rulesFor(await match(), ids.placement)).toStrictEqual(['age_out_of_range']);
    await patch(`/placements/${ids.placement}`, { population: { minAge: 12, maxAge: 17, genders: ['female'], acceptsPregnant: true, acceptsParenting: false } }, 2);
    expect(resultFor(await match(), ids.placement)?.available).toBe(3);
  });

  it('a deactivated provider: its programs are excluded as inactive until it is reactivated', async () => {
    await patch(`/providers/${ids.provider}`, { active: false }, 1);
    expect(rulesFor(await match(), ids.placement)).toStrictEqual(['inactive']);
    await patch(`/providers/${ids.provider}`, { active: true }, 2);
    expect(resultFor(await match(), ids.placement)).toBeDefined();
  });

  it('a nearby service of a needed category is named as wraparound, and no longer once it is inactive', async () => {
    const before = resultFor(await match(), ids.placement)!;
    expect(before.wraparound).toContainEqual(expect.objectContaining({ need: 'substance_use', serviceId: ids.service }));
    await patch(`/services/${ids.service}`, { active: false }, 1);
    const after = resultFor(await match(), ids.placement)!;
    expect(after.wraparound.map((w) => w.serviceId)).not.toContain(ids.service);
  });
});

describe('a table from before the matching index', () => {
  it('an item without a match card is not a candidate until the backfill gives it one; the backfill is then a no-op', async () => {
    const before = (await match()).counts.candidates;
    const { capacity: _capacity, ...body } = placementBody(ids.provider, { name: 'Old Item House' });
    const old = {
      ...body,
      id: 'plc-old-item',
      active: true,
      location: { ...body.location, lat: 30.27, lon: -97.74 },
      capacity: { total: 4, occupied: 1, holds: {}, version: 1, updatedAt: new Date().toISOString(), updatedBy: 'ix', confirmedAt: null, confirmedBy: null },
      version: 1,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    } as unknown as Placement;
    const { matchCard: _card, gsi4pk: _pk, gsi4sk: _sk, ...oldShape } = placementItem(old);
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: oldShape }));
    expect((await match()).counts.candidates).toBe(before);

    const first = await backfillMatchCards(h.doc, h.tableName);
    expect(first.updated).toBe(1);
    const m = await match();
    expect(m.counts.candidates).toBe(before + 1);
    expect(resultFor(m, 'plc-old-item')?.available).toBe(3);
    expect((await backfillMatchCards(h.doc, h.tableName)).updated).toBe(0);
  });

  it('an item with a version-1 card is matched as it is, and the backfill rewrites its card to the current version', async () => {
    const placementId = await createAs(h, admin, '/placements', placementBody(ids.provider, { name: 'Keyed Card House', capacity: { total: 5, occupied: 1 } }));
    const m0 = await match();
    const stored = (await h.doc.send(new GetCommand({ TableName: h.tableName, Key: { pk: `PLACEMENT#${placementId}`, sk: 'PLACEMENT' } }))).Item!;
    // As the first version of the index wrote it: the same fields as a keyed JSON object.
    const fields = placementFromMatchItem(stored) as unknown as Record<string, unknown>;
    const { capacity: _capacity, ...cardFields } = fields;
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: { ...stored, matchCard: JSON.stringify({ v: 1, ...cardFields }) } }));

    const m1 = await match();
    expect(resultFor(m1, placementId)).toStrictEqual(resultFor(m0, placementId));
    expect((await backfillMatchCards(h.doc, h.tableName)).updated).toBe(1);
    const after = (await h.doc.send(new GetCommand({ TableName: h.tableName, Key: { pk: `PLACEMENT#${placementId}`, sk: 'PLACEMENT' } }))).Item!;
    expect(JSON.parse(after.matchCard as string)[0]).toBe(MATCH_CARD_VERSION);
    expect(resultFor(await match(), placementId)).toStrictEqual(resultFor(m0, placementId));
  });

  it('an index entry this code cannot read (a card of a later version) is ranked from the table item, with the same answer', async () => {
    const placementId = await createAs(h, admin, '/placements', placementBody(ids.provider, { name: 'Later Card House', capacity: { total: 4, occupied: 1 } }));
    const m0 = await match();
    const key = { pk: `PLACEMENT#${placementId}`, sk: 'PLACEMENT' };
    const stored = (await h.doc.send(new GetCommand({ TableName: h.tableName, Key: key }))).Item!;
    // As a later version would write it (a deploy rolled back, or the index ahead of this code).
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: { ...stored, matchCard: JSON.stringify([MATCH_CARD_VERSION + 1, 'a layout this code does not know']) } }));
    try {
      const m1 = await match();
      expect(m1.counts.candidates).toBe(m0.counts.candidates);
      expect(resultFor(m1, placementId)).toStrictEqual(resultFor(m0, placementId));
      // Every program's answer is unchanged, the one read from the table ranked from its own values.
      expect(m1.results).toStrictEqual(m0.results);
      expect(m1.excluded).toStrictEqual(m0.excluded);
    } finally {
      await h.doc.send(new PutCommand({ TableName: h.tableName, Item: stored }));
    }
  });

  it('a service whose index entry this code cannot read is still named as wraparound, from its table item', async () => {
    const serviceId = await createAs(h, admin, '/services', serviceBody(ids.provider, { name: 'Eastside Recovery', category: 'substance_use_treatment', modality: 'in_person', serviceArea: { radiusMiles: 40, states: [] } }));
    const m0 = await match();
    expect(resultFor(m0, ids.placement)!.wraparound).toContainEqual(expect.objectContaining({ need: 'substance_use', serviceId }));
    const key = { pk: `SERVICE#${serviceId}`, sk: 'SERVICE' };
    const stored = (await h.doc.send(new GetCommand({ TableName: h.tableName, Key: key }))).Item!;
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: { ...stored, matchCard: JSON.stringify([MATCH_CARD_VERSION + 1]) } }));
    try {
      expect(resultFor(await match(), ids.placement)).toStrictEqual(resultFor(m0, ids.placement));
    } finally {
      await h.doc.send(new PutCommand({ TableName: h.tableName, Item: stored }));
    }
  });

  it('the backfill puts a provider made inactive before the index into its partition, so its programs are then excluded', async () => {
    const providerId = await createAs(h, admin, '/providers', providerBody({ name: 'Old Inactive Provider' }));
    const placementId = await createAs(h, admin, '/placements', placementBody(providerId, { name: 'Old Inactive House' }));
    // As an older version wrote it: inactive, but with no matching-index keys.
    const { gsi4pk: _pk, gsi4sk: _sk, ...oldShape } = providerItem({ ...(await getProvider(providerId))!, active: false });
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: oldShape }));
    expect(resultFor(await match(), placementId)).toBeDefined();

    expect((await backfillMatchCards(h.doc, h.tableName)).updated).toBe(1);
    expect(rulesFor(await match(), placementId)).toStrictEqual(['inactive']);
  });

  it('ensureTable adds the matching index, with its narrow projection, to a table created without it', async () => {
    const tableName = uniqueTableName('harbor-old-table');
    const full = createTableInput(tableName);
    const old: CreateTableCommandInput = {
      ...full,
      GlobalSecondaryIndexes: full.GlobalSecondaryIndexes.filter((i) => i.IndexName !== 'gsi4'),
      AttributeDefinitions: full.AttributeDefinitions.filter((a) => !a.AttributeName.startsWith('gsi4')),
    };
    await h.doc.send(new CreateTableCommand(old));
    try {
      await ensureTable(h.doc, tableName);
      const table = (await h.doc.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
      const gsi4 = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'gsi4');
      expect(gsi4?.IndexStatus).toBe('ACTIVE');
      expect(gsi4?.Projection).toStrictEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['matchCard', 'matchCount', 'matchConfirmedAt', 'holds'] });
    } finally {
      await deleteTable(h.doc, tableName);
    }
  });

  it('ensureTable rebuilds a matching index that projects what an older version did (the whole capacity map)', async () => {
    const tableName = uniqueTableName('harbor-old-projection');
    const full = createTableInput(tableName);
    const old: CreateTableCommandInput = {
      ...full,
      GlobalSecondaryIndexes: full.GlobalSecondaryIndexes.map((i) =>
        i.IndexName === 'gsi4' ? { ...i, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['matchCard', 'capacity'] } } : i,
      ),
    };
    await h.doc.send(new CreateTableCommand(old));
    try {
      const item = placementItem({ ...(await getPlacement(ids.placement))!, id: 'plc-rebuilt-index' });
      await h.doc.send(new PutCommand({ TableName: tableName, Item: item }));
      await ensureTable(h.doc, tableName);
      const table = (await h.doc.send(new DescribeTableCommand({ TableName: tableName }))).Table!;
      expect(table.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'gsi4')?.Projection).toStrictEqual(full.GlobalSecondaryIndexes.find((i) => i.IndexName === 'gsi4')!.Projection);
      // Rebuilt from the items: the placement is in it, with its count.
      const out = await h.doc.send(
        new QueryCommand({ TableName: tableName, IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': item.gsi4pk } }),
      );
      expect(out.Items?.map((i) => placementFromMatchItem(i).id)).toStrictEqual(['plc-rebuilt-index']);
      expect(out.Items?.[0]?.matchCount).toBe(item.matchCount);
    } finally {
      await deleteTable(h.doc, tableName);
    }
  });
});
