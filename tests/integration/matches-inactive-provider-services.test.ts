/**
 * A provider made inactive takes its services with it, as it takes its placements: none of them is
 * offered to a youth as wraparound, in person or by video, while the provider is inactive, though
 * each service keeps its own `active` flag (reactivating the provider brings them back). At the
 * head of a telehealth listing such a service does not settle the listing: the match reads on to
 * the next service that takes the youth. Through the local server on DynamoDB Local, with the
 * provider deactivated and reactivated through the API.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_CARD_VERSION } from '../../shared/data/match-cards';
import { createAs, placementBody, providerBody, serviceBody } from '../support/directory-fixtures';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface MatchBody {
  results: { placementId: string; wraparound: { serviceId: string; need: string; modality: string }[]; reasons: string[] }[];
}

let h: Harbor;
let admin: string;
let caseworker: string;
/** `home` runs the placement and stays active; `counselling` runs the services and is deactivated. */
const ids = { home: '', placement: '', counselling: '', inPerson: '', telehealth: '', otherProvider: '', laterTelehealth: '' };

/** A girl in Austin; the placement below has neither a substance-use nor a CSEC programme. */
const girl = (needs: string[]) => ({ age: 15, gender: 'female', location: { zip: '78701' }, needs, runRisk: 'low', preferences: { maxDistanceMiles: 50 } });
const elPaso = { city: 'El Paso', county: 'El Paso', state: 'TX', zip: '79901' };

/** The Austin placement's result (it must be offered: its own provider is active). */
async function resultFor(needs: string[]) {
  const res = await h.request<MatchBody>('POST', '/matches', { token: caseworker, body: { youth: girl(needs), options: { limit: 5 } } });
  expect(res.status, res.text).toBe(200);
  const result = res.json.results.find((r) => r.placementId === ids.placement);
  expect(result, 'the Austin placement is offered').toBeDefined();
  return result!;
}
const wraparound = async (needs: string[]) => (await resultFor(needs)).wraparound;

async function setProviderActive(id: string, active: boolean): Promise<void> {
  const current = await h.request<{ version: number }>('GET', `/providers/${id}`, { token: admin });
  const res = await h.request('PATCH', `/providers/${id}`, { token: admin, body: { active }, headers: { 'if-match': String(current.json.version) } });
  expect(res.status, res.text).toBe(200);
}

async function serviceActive(id: string): Promise<boolean> {
  const res = await h.request<{ active: boolean }>('GET', `/services/${id}`, { token: admin });
  expect(res.status, res.text).toBe(200);
  return res.json.active;
}

/** Runs `check` while the counselling provider is inactive, and reactivates it whatever happens. */
async function whileInactive(check: () => Promise<void>): Promise<void> {
  await setProviderActive(ids.counselling, false);
  try {
    await check();
  } finally {
    await setProviderActive(ids.counselling, true);
  }
}

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'inactive-svc-admin' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'inactive-svc-cw', agencyId: 'agency-travis' });
  const create = (path: string, body: unknown) => createAs(h, admin, path, body);
  ids.home = await create('/providers', providerBody({ name: 'Pecan Street Homes' }));
  ids.placement = await create('/placements', placementBody(ids.home, { name: 'Pecan Street Home', specializations: ['trauma_informed'] }));
  ids.counselling = await create('/providers', providerBody({ name: 'Hill Country Counselling' }));
  // The only substance-use treatment anywhere: in person, three miles from the placement.
  ids.inPerson = await create(
    '/services',
    serviceBody(ids.counselling, { name: 'Eastside Recovery', category: 'substance_use_treatment', modality: 'in_person', serviceArea: { radiusMiles: 40, states: ['TX'] } }),
  );
  // The only CSEC counselling anywhere: by video across Texas, listed in El Paso.
  ids.telehealth = await create(
    '/services',
    serviceBody(ids.counselling, { name: 'Desert Star Survivor Counselling', category: 'csec_counseling', modality: 'telehealth', location: elPaso, serviceArea: { states: ['TX'] } }),
  );
});

afterAll(async () => {
  await h?.close();
});

describe("an inactive provider's services are not offered as wraparound", () => {
  it.each([
    { what: 'the only nearby in-person service', need: 'substance_use', service: 'inPerson', modality: 'in_person', name: 'Eastside Recovery' },
    { what: 'the only telehealth service serving the state', need: 'csec_confirmed', service: 'telehealth', modality: 'telehealth', name: 'Desert Star' },
  ] as const)('$what: named, not named while its provider is inactive, named again once reactivated', async ({ need, service, modality, name }) => {
    const named = [expect.objectContaining({ serviceId: ids[service], need, modality })];
    expect(await wraparound([need])).toStrictEqual(named);
    await whileInactive(async () => {
      const result = await resultFor([need]);
      expect(result.wraparound).toStrictEqual([]);
      expect(result.reasons.join(' ')).not.toContain(name);
      // The service's own flag is untouched: it is its provider that takes it out.
      expect(await serviceActive(ids[service])).toBe(true);
    });
    expect(await wraparound([need])).toStrictEqual(named);
  });

  it("at the head of a telehealth listing it does not settle the listing: the match reads on to the next service, of an active provider", async () => {
    // Listed after the first (a long wait sorts later), so read only when the first does not settle the listing.
    ids.otherProvider = await createAs(h, admin, '/providers', providerBody({ name: 'Panhandle Telehealth' }));
    ids.laterTelehealth = await createAs(
      h,
      admin,
      '/services',
      serviceBody(ids.otherProvider, { name: 'Long Wait Counselling', category: 'csec_counseling', modality: 'telehealth', location: elPaso, serviceArea: { states: ['TX'] }, waitDays: 40 }),
    );
    expect(await wraparound(['csec_confirmed'])).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
    await whileInactive(async () => {
      expect(await wraparound(['csec_confirmed'])).toStrictEqual([expect.objectContaining({ serviceId: ids.laterTelehealth, modality: 'telehealth' })]);
    });
    expect(await wraparound(['csec_confirmed'])).toStrictEqual([expect.objectContaining({ serviceId: ids.telehealth })]);
  });

  it('a service read from its own item (its index entries cannot be read) is left out too while its provider is inactive', async () => {
    const keys = [
      { pk: `SERVICE#${ids.inPerson}`, sk: 'SERVICE' },
      { pk: `SERVICE#${ids.telehealth}`, sk: 'SERVICE' },
      { pk: `SERVICE#${ids.telehealth}`, sk: 'TELEHEALTH#TX' },
    ];
    const stored = await Promise.all(keys.map(async (Key) => (await h.doc.send(new GetCommand({ TableName: h.tableName, Key }))).Item!));
    for (const item of stored) await h.doc.send(new PutCommand({ TableName: h.tableName, Item: { ...item, matchCard: JSON.stringify([MATCH_CARD_VERSION + 1]) } }));
    try {
      const needs = ['substance_use', 'csec_confirmed'];
      const named = async () => (await wraparound(needs)).map((w) => w.serviceId).sort();
      expect(await named()).toStrictEqual([ids.inPerson, ids.telehealth].sort());
      await whileInactive(async () => {
        expect(await named()).toStrictEqual([ids.laterTelehealth]);
      });
      expect(await named()).toStrictEqual([ids.inPerson, ids.telehealth].sort());
    } finally {
      for (const item of stored) await h.doc.send(new PutCommand({ TableName: h.tableName, Item: item }));
    }
  });
});
