/**
 * Telehealth stands in wherever it serves (DESIGN.md §4: "in person within the policy's radius of
 * the placement or telehealth"): a counsellor who sees youth by video anywhere in Texas is named
 * for a placement in Austin though the practice is listed in El Paso, 530 miles away, far beyond
 * any cell a match reads. Through the local server on DynamoDB Local: found by state, gone when
 * the service stops serving that state by video, and found for a table written before services
 * were listed by state (the backfill lists them, and removes listings no service should have).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_CARD_VERSION } from '../../shared/data/match-cards';
import { backfillMatchCards } from '../../scripts/backfill-match-cards';
import { createAs, placementBody, providerBody, serviceBody } from '../support/directory-fixtures';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface MatchBody {
  results: { placementId: string; wraparound: { serviceId: string; need: string; modality: string; distanceMiles: number | null }[]; reasons: string[] }[];
}

let h: Harbor;
let admin: string;
let caseworker: string;
const ids = { provider: '', placement: '', telehealth: '' };

/** A girl in Austin who needs CSEC counselling; the placement below has no CSEC programme. */
const girl = { age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_confirmed'], runRisk: 'low', preferences: { maxDistanceMiles: 50 } };
const elPaso = { city: 'El Paso', county: 'El Paso', state: 'TX', zip: '79901' };

async function wraparound() {
  const res = await h.request<MatchBody>('POST', '/matches', { token: caseworker, body: { youth: girl, options: { limit: 5 } } });
  expect(res.status, res.text).toBe(200);
  const result = res.json.results.find((r) => r.placementId === ids.placement);
  expect(result, 'the Austin placement is offered').toBeDefined();
  return result!.wraparound;
}

async function patchService(id: string, body: unknown) {
  const current = await h.request<{ version: number }>('GET', `/services/${id}`, { token: admin });
  const res = await h.request('PATCH', `/services/${id}`, { token: admin, body, headers: { 'if-match': String(current.json.version) } });
  expect(res.status, res.text).toBe(200);
}

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'tele-admin' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'tele-cw', agencyId: 'agency-travis' });
  ids.provider = await createAs(h, admin, '/providers', providerBody({ name: 'Borderland Counselling' }));
  ids.placement = await createAs(h, admin, '/placements', placementBody(ids.provider, { name: 'Pecan Street Home', specializations: ['trauma_informed'] }));
  ids.telehealth = await createAs(
    h,
    admin,
    '/services',
    serviceBody(ids.provider, { name: 'Desert Star Survivor Counselling', category: 'csec_counseling', modality: 'telehealth', location: elPaso, serviceArea: { states: ['TX'] } }),
  );
});

afterAll(async () => {
  await h?.close();
});

describe('telehealth serving the placement’s state is found wherever it is listed', () => {
  it('a Texas-wide telehealth counsellor listed in El Paso is named for a placement in Austin', async () => {
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth, need: 'csec_confirmed', modality: 'telehealth', distanceMiles: null })]);
  });

  it('no longer named once it serves only New Mexico by video, and named again when it serves Texas again', async () => {
    await patchService(ids.telehealth, { serviceArea: { states: ['NM'] } });
    expect(await wraparound()).toStrictEqual([]);
    await patchService(ids.telehealth, { serviceArea: { states: ['NM', 'TX'] } });
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
  });

  it('no longer named once it sees youth only in person in El Paso, or is inactive', async () => {
    await patchService(ids.telehealth, { modality: 'in_person', serviceArea: { radiusMiles: 30, states: [] } });
    expect(await wraparound()).toStrictEqual([]);
    await patchService(ids.telehealth, { modality: 'telehealth', serviceArea: { states: ['TX'] } });
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
    await patchService(ids.telehealth, { active: false });
    expect(await wraparound()).toStrictEqual([]);
    await patchService(ids.telehealth, { active: true });
  });

  it('of several, the best is named: no wait before a long wait, then the first by id', async () => {
    const waiting = await createAs(
      h,
      admin,
      '/services',
      serviceBody(ids.provider, { name: 'Long Wait Counselling', category: 'csec_counseling', modality: 'telehealth', location: elPaso, serviceArea: { states: ['TX'] }, waitDays: 40 }),
    );
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
    await patchService(ids.telehealth, { openSlots: 0 });
    // Both now wait: the first by id.
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: [ids.telehealth, waiting].sort()[0] })]);
    await patchService(ids.telehealth, { openSlots: 4 });
    await patchService(waiting, { active: false });
  });

  it('a listing whose card this code cannot read: the service is read from its own item, and still named', async () => {
    const key = { pk: `SERVICE#${ids.telehealth}`, sk: 'TELEHEALTH#TX' };
    const listing = (await h.doc.send(new GetCommand({ TableName: h.tableName, Key: key }))).Item!;
    await h.doc.send(new PutCommand({ TableName: h.tableName, Item: { ...listing, matchCard: JSON.stringify([MATCH_CARD_VERSION + 1]) } }));
    try {
      expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth, modality: 'telehealth' })]);
    } finally {
      await h.doc.send(new PutCommand({ TableName: h.tableName, Item: listing }));
    }
  });

  it('a table written before services were listed by state: the backfill lists them and removes stale listings', async () => {
    const { doc, tableName } = h;
    const listings = async () =>
      (await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tele)', ExpressionAttributeValues: { ':pk': `SERVICE#${ids.telehealth}`, ':tele': 'TELEHEALTH#' } }))).Items ?? [];
    const before = await listings();
    expect(before.map((l) => l.sk)).toStrictEqual(['TELEHEALTH#TX']);
    for (const l of before) await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: l.pk, sk: l.sk } }));
    expect(await wraparound()).toStrictEqual([]);

    // And one left over for a state it does not serve.
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...before[0], sk: 'TELEHEALTH#OK', state: 'OK', gsi4pk: 'SERVICE#TELEHEALTH#OK#csec_counseling' } }));

    const first = await backfillMatchCards(doc, tableName);
    expect(first.updated).toBeGreaterThanOrEqual(2);
    expect((await listings()).map((l) => l.sk)).toStrictEqual(['TELEHEALTH#TX']);
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
    expect((await backfillMatchCards(doc, tableName)).updated, 'a second pass has nothing to do').toBe(0);
  });

  it('a profile update while the backfill runs: the backfill never lists the service where it no longer serves', async () => {
    const { doc, tableName } = h;
    const listings = async () =>
      (await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tele)', ExpressionAttributeValues: { ':pk': `SERVICE#${ids.telehealth}`, ':tele': 'TELEHEALTH#' } }))).Items ?? [];
    for (const l of await listings()) await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: l.pk, sk: l.sk } }));

    // The backfill reads the service serving Texas; before it writes the Texas listing, staff
    // change the service to serve New Mexico only (whose own write lists it there).
    let raced = false;
    const writesListing = (command: unknown) =>
      (command instanceof PutCommand && command.input.Item?.entity === 'telehealth_listing') ||
      (command instanceof TransactWriteCommand && (command.input.TransactItems ?? []).some((t) => t.Put?.Item?.entity === 'telehealth_listing'));
    const racing = Object.create(doc) as typeof doc;
    racing.send = (async (command: Parameters<typeof doc.send>[0]) => {
      if (!raced && writesListing(command)) {
        raced = true;
        await patchService(ids.telehealth, { serviceArea: { states: ['NM'] } });
      }
      return doc.send(command);
    }) as typeof doc.send;
    try {
      const result = await backfillMatchCards(racing, tableName);
      expect(raced, 'the profile update ran between the backfill’s read and its listing write').toBe(true);
      expect((await listings()).map((l) => l.sk)).toStrictEqual(['TELEHEALTH#NM']);
      expect(await wraparound()).toStrictEqual([]);
      expect(result.skipped, 'the backfill’s Texas listing is counted as changed meanwhile').toBeGreaterThanOrEqual(1);
    } finally {
      await patchService(ids.telehealth, { serviceArea: { states: ['TX'] } });
    }
    expect((await listings()).map((l) => l.sk)).toStrictEqual(['TELEHEALTH#TX']);
  });

  it('a service seen both in person and by video whose entries this code cannot read is read from its own item once, and named', async () => {
    // Near the Austin placement and listed for Texas: a match meets it in the cell it reads and at
    // the head of the Texas listing, both entries naming the same service item (BatchGetItem
    // refuses a request naming one key twice).
    const both = await createAs(h, admin, '/services', serviceBody(ids.provider, { name: 'Riverside Survivor Counselling', category: 'csec_counseling', modality: 'both' }));
    await patchService(ids.telehealth, { active: false });
    const keys = [
      { pk: `SERVICE#${both}`, sk: 'SERVICE' },
      { pk: `SERVICE#${both}`, sk: 'TELEHEALTH#TX' },
    ];
    const stored = await Promise.all(keys.map(async (Key) => (await h.doc.send(new GetCommand({ TableName: h.tableName, Key }))).Item!));
    for (const item of stored) await h.doc.send(new PutCommand({ TableName: h.tableName, Item: { ...item, matchCard: JSON.stringify([MATCH_CARD_VERSION + 1]) } }));
    try {
      expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: both, modality: 'in_person' })]);
    } finally {
      for (const item of stored) await h.doc.send(new PutCommand({ TableName: h.tableName, Item: item }));
      await patchService(both, { active: false });
      await patchService(ids.telehealth, { active: true });
    }
  });

  it('a service created while the backfill runs (its Scan passed before the service, reached its listing after) keeps its listing', async () => {
    const { doc, tableName } = h;
    const hidden = Object.create(doc) as typeof doc;
    hidden.send = (async (command: Parameters<typeof doc.send>[0]) => {
      const out = (await doc.send(command)) as { Items?: Record<string, unknown>[] };
      if (command instanceof ScanCommand) out.Items = (out.Items ?? []).filter((item) => !(item.entity === 'service' && item.id === ids.telehealth));
      return out;
    }) as typeof doc.send;
    const result = await backfillMatchCards(hidden, tableName);
    expect(result.skipped, 'the listing whose service the Scan did not see is left alone').toBeGreaterThanOrEqual(1);
    expect(await wraparound()).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
  });
});
