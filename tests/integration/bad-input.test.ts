/**
 * Bad input on every directory write route: unknown fields, wrong types, out-of-range numbers, an
 * oversized body, and `limit` above 100 on the lists. Each is a 4xx naming the field, and the
 * table is exactly as it was (every item compared, not just counted). Then a youth profile that
 * would identify the youth, on both routes that take one: a 400 saying why, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../shared/http/route-handler';
import { placementBody, providerBody, seedTwoProviders, serviceBody } from '../support/directory-fixtures';
import type { TwoProviders } from '../support/directory-fixtures';
import { scanItems } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

let h: Harbor;
let admin: string;
let ids: TwoProviders;

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'bad-input-admin' });
  ids = await seedTwoProviders(h, admin);
});

afterAll(async () => {
  await h?.close();
});

interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

const snapshot = async () => JSON.stringify((await scanItems(h.doc, h.tableName)).map((i) => `${i.pk as string}|${i.sk as string}|${JSON.stringify(i)}`).sort());

async function expectRefused(method: string, path: string, body: unknown, status: number, field: string, headers: Record<string, string> = {}) {
  const before = await snapshot();
  const res = await h.request<ErrorBody>(method, path, { token: admin, body, headers });
  expect(res.status, res.text).toBe(status);
  expect(res.json.error.fields?.map((f) => f.path), res.text).toContain(field);
  expect(await snapshot()).toBe(before);
}

const big = 'x'.repeat(MAX_BODY_BYTES + 1);

describe('bad input changes nothing and names the field', () => {
  const writeRoutes = () => [
    { name: 'POST /providers', method: 'POST', path: '/providers', valid: providerBody(), numeric: 'statesServed', wrongType: { statesServed: 'TX' }, outOfRange: { name: 'x'.repeat(201) }, rangeField: 'name' },
    {
      name: 'PATCH /providers/{id}',
      method: 'PATCH',
      path: `/providers/${ids.p1}`,
      valid: { description: 'ok' },
      wrongType: { active: 'yes' },
      numeric: 'active',
      outOfRange: { statesServed: [] },
      rangeField: 'statesServed',
    },
    {
      name: 'POST /placements',
      method: 'POST',
      path: '/placements',
      valid: placementBody(ids.p1),
      wrongType: { population: { minAge: '12', maxAge: 17, genders: ['female'] } },
      numeric: 'population.minAge',
      outOfRange: { population: { minAge: 12, maxAge: 99, genders: ['female'] } },
      rangeField: 'population.maxAge',
    },
    {
      name: 'PATCH /placements/{id}',
      method: 'PATCH',
      path: `/placements/${ids.plc1}`,
      valid: { description: 'ok' },
      wrongType: { runPrevention: 1 },
      numeric: 'runPrevention',
      outOfRange: { intake: { responseHours: 10_000 } },
      rangeField: 'intake.responseHours',
    },
    {
      name: 'PUT /placements/{id}/capacity',
      method: 'PUT',
      path: `/placements/${ids.plc1}/capacity`,
      valid: { total: 6, occupied: 2 },
      wrongType: { total: 'six', occupied: 2 },
      numeric: 'total',
      outOfRange: { total: 6, occupied: -1 },
      rangeField: 'occupied',
      headers: { 'if-match': '1' },
    },
    {
      name: 'POST /services',
      method: 'POST',
      path: '/services',
      valid: serviceBody(ids.p1),
      wrongType: { waitDays: '3' },
      numeric: 'waitDays',
      outOfRange: { waitDays: 400 },
      rangeField: 'waitDays',
    },
    {
      name: 'PATCH /services/{id}',
      method: 'PATCH',
      path: `/services/${ids.svc1}`,
      valid: { waitDays: 1 },
      wrongType: { openSlots: [1] },
      numeric: 'openSlots',
      outOfRange: { openSlots: -5 },
      rangeField: 'openSlots',
    },
  ];

  it('unknown fields → 400 naming them (onHold included)', async () => {
    for (const r of writeRoutes()) {
      const body = { ...r.valid, surprise: true };
      await expectRefused(r.method, r.path, body, 400, 'surprise', r.headers);
    }
    await expectRefused('PUT', `/placements/${ids.plc1}/capacity`, { total: 6, occupied: 1, onHold: 0 }, 400, 'onHold', { 'if-match': '1' });
    await expectRefused('PATCH', `/placements/${ids.plc1}`, { capacity: { total: 99, occupied: 0 } }, 400, 'capacity');
  });

  it('wrong types → 400 naming the field', async () => {
    for (const r of writeRoutes()) await expectRefused(r.method, r.path, { ...r.valid, ...r.wrongType }, 400, r.numeric, r.headers);
  });

  it('out-of-range values → 400 naming the field', async () => {
    for (const r of writeRoutes()) await expectRefused(r.method, r.path, { ...r.valid, ...r.outOfRange }, 400, r.rangeField, r.headers);
  });

  it('an oversized body → 413', async () => {
    for (const r of writeRoutes()) await expectRefused(r.method, r.path, { ...r.valid, description: big }, 413, 'body', r.headers);
  });

  it('a body that is not JSON → 400 naming the body', async () => {
    for (const r of writeRoutes()) await expectRefused(r.method, r.path, '{"name": ', 400, 'body', r.headers);
  });

  it('POST /capacity/confirm takes no body', async () => {
    await expectRefused('POST', `/placements/${ids.plc1}/capacity/confirm`, { total: 3 }, 400, 'body');
  });

  it('limit above 100 on every list → 400 naming limit', async () => {
    for (const path of ['/providers', '/placements', '/services', `/placements/${ids.plc1}/capacity/history`, '/audit']) {
      const res = await h.request<ErrorBody>('GET', `${path}?limit=101`, { token: admin });
      expect(res.status, path).toBe(400);
      expect(res.json.error.fields?.[0]?.path, path).toBe('limit');
    }
  });

  it('a malformed If-Match → 400 naming it; a stale one → 412; both write nothing', async () => {
    await expectRefused('PUT', `/placements/${ids.plc1}/capacity`, { total: 6, occupied: 2 }, 400, 'If-Match', { 'if-match': 'latest' });
    const before = await snapshot();
    const res = await h.request('PUT', `/placements/${ids.plc1}/capacity`, { token: admin, body: { total: 6, occupied: 2 }, headers: { 'if-match': '7' } });
    expect(res.status).toBe(412);
    expect(await snapshot()).toBe(before);
  });
});

describe('a youth profile that would identify the youth → 400 saying why, nothing written', () => {
  const youth = { caseRef: 'TX-CPS-0042117', age: 15, gender: 'female', location: { zip: '78701' } };
  const routes = (): { path: string; body: (y: unknown) => unknown; headers: Record<string, string> }[] => [
    { path: '/matches', body: (y: unknown) => ({ youth: y }), headers: {} },
    { path: '/referrals', body: (y: unknown) => ({ placementId: ids.plc1, youth: y }), headers: { 'idempotency-key': 'bad-input-youth-1' } },
  ];

  it.each([
    ['a name and a birth date in caseRef', { caseRef: 'MariaGarcia20090412' }, 'youth.caseRef', /must not contain a name.*must not contain a date written as 8 digits/],
    ['a birth date with _ separators in caseRef', { caseRef: 'TX_04_12_2009' }, 'youth.caseRef', /must not contain a date/],
    ['a capitalised name in caseRef', { caseRef: 'Jane-Doe-2009' }, 'youth.caseRef', /written like a name/],
    ['a dobDate key', { dobDate: '2009-04-12' }, 'youth.dobDate', /must not be identifiable/],
    ['an ssn4 key', { ssn4: '6789' }, 'youth.ssn4', /must not be identifiable/],
    ['a medicaidNo key', { medicaidNo: 'TX123' }, 'youth.medicaidNo', /must not be identifiable/],
  ])('%s', async (_label, extra, field, why) => {
    const caseworker = await h.tokenFor({ role: 'caseworker', sub: 'bad-input-cw', agencyId: 'agency-bad-input' });
    for (const r of routes()) {
      const before = await snapshot();
      const res = await h.request<ErrorBody>('POST', r.path, { token: caseworker, body: r.body({ ...youth, ...extra }), headers: r.headers });
      expect(res.status, `${r.path} ${res.text}`).toBe(400);
      expect(res.json.error.fields?.map((f) => f.path), res.text).toContain(field);
      expect(res.json.error.message, res.text).toMatch(why);
      expect(await snapshot()).toBe(before);
    }
  });
});
