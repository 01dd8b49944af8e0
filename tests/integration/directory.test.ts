import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/routes';
import { placementBody, providerBody, seedTwoProviders, serviceBody } from '../support/directory-fixtures';
import type { TwoProviders } from '../support/directory-fixtures';
import { scanItems } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface CapacityBody {
  total: number;
  occupied: number;
  onHold: number;
  available: number;
  version: number;
  freshness: string;
  updatedBy: string | null;
  confirmedAt: string | null;
}
interface PlacementBody {
  id: string;
  name: string;
  version: number;
  distanceMiles?: number;
  location: Record<string, unknown>;
  capacity?: CapacityBody;
}
interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

let h: Harbor;
let admin: string;
let coordinatorTX: string;
let caseworker: string;
let staff1: string;
let staff2: string;
let ids: TwoProviders;

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'admin-ada' });
  coordinatorTX = await h.tokenFor({ role: 'coordinator', sub: 'coord-cora', jurisdiction: 'TX' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'cw-will', agencyId: 'agency-travis' });
  ids = await seedTwoProviders(h, admin);
  staff1 = await h.tokenFor({ role: 'provider', sub: 'staff-one', providerId: ids.p1 });
  staff2 = await h.tokenFor({ role: 'provider', sub: 'staff-two', providerId: ids.p2 });
});

afterAll(async () => {
  await h?.close();
});

describe('providers', () => {
  it('admin creates, reads, lists and updates a provider; provider staff edit their own', async () => {
    const created = await h.request<{ id: string; version: number }>('POST', '/providers', { token: admin, body: providerBody({ name: 'Bluebonnet Homes' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const id = created.json.id;

    const read = await h.request<{ name: string }>('GET', `/providers/${id}`, { token: coordinatorTX });
    expect(read.json.name).toBe('Bluebonnet Homes');

    const list = await h.request<PageBody<{ id: string }>>('GET', '/providers?limit=100', { token: admin });
    expect(list.json.items.map((p) => p.id)).toContain(id);

    const own = await h.request<PageBody<{ id: string }>>('GET', '/providers', { token: staff1 });
    expect(own.json.items.map((p) => p.id)).toEqual([ids.p1]);

    const patched = await h.request<{ version: number; website: string }>('PATCH', `/providers/${ids.p1}`, {
      token: staff1,
      body: { website: 'https://example.org/one' },
      headers: { 'if-match': '1' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ version: 2, website: 'https://example.org/one' });
    const stale = await h.request('PATCH', `/providers/${ids.p1}`, { token: staff1, body: { website: 'https://example.org/x' }, headers: { 'if-match': '1' } });
    expect(stale.status).toBe(412);
  });

  it('lists providers page by page with an opaque cursor', async () => {
    const first = await h.request<PageBody<{ id: string }>>('GET', '/providers?limit=1', { token: admin });
    expect(first.json.items).toHaveLength(1);
    expect(first.json.nextCursor).toBeTruthy();
    const second = await h.request<PageBody<{ id: string }>>('GET', `/providers?limit=1&cursor=${first.json.nextCursor}`, { token: admin });
    expect(second.json.items[0]!.id).not.toBe(first.json.items[0]!.id);
    const forged = await h.request<{ error: { fields: { path: string }[] } }>('GET', '/providers?cursor=bm90LWEtY3Vyc29y', { token: admin });
    expect(forged.status).toBe(400);
    expect(forged.json.error.fields[0]!.path).toBe('cursor');
  });

  it('a 404 for a provider that does not exist', async () => {
    expect((await h.request('GET', '/providers/prv-missing', { token: admin })).status).toBe(404);
  });
});

describe('placements', () => {
  it('creates a placement whose capacity starts as reported, with coordinates from the ZIP', async () => {
    const res = await h.request<PlacementBody>('POST', '/placements', { token: staff1, body: placementBody(ids.p1, { name: 'Hill Country TFC' }) });
    expect(res.status).toBe(201);
    expect(res.json.capacity).toMatchObject({ total: 6, occupied: 2, onHold: 0, available: 4, version: 1, freshness: 'fresh', updatedBy: 'staff-one' });
    expect(res.json.location.lat).toBeCloseTo(30.27, 1);
  });

  it('refuses a placement for an unknown provider, an unknown ZIP, or a ZIP in another state, writing nothing', async () => {
    const before = (await scanItems(h.doc, h.tableName, 'PLACEMENT#')).length;
    const noProvider = await h.request<{ error: { fields: { path: string }[] } }>('POST', '/placements', { token: admin, body: placementBody('prv-nope') });
    expect(noProvider.status).toBe(400);
    expect(noProvider.json.error.fields[0]!.path).toBe('providerId');
    const badZip = await h.request<{ error: { fields: { path: string }[] } }>('POST', '/placements', {
      token: admin,
      body: placementBody(ids.p1, { location: { city: 'Austin', state: 'TX', zip: '00000' } }),
    });
    expect(badZip.json.error.fields[0]!.path).toBe('location.zip');
    const wrongState = await h.request<{ error: { fields: { path: string }[] } }>('POST', '/placements', {
      token: admin,
      body: placementBody(ids.p1, { location: { city: 'Austin', state: 'OK', zip: '78701' } }),
    });
    expect(wrongState.json.error.fields[0]!.path).toBe('location.zip');
    expect((await scanItems(h.doc, h.tableName, 'PLACEMENT#')).length).toBe(before);
  });

  it('redacts a safe house address for caseworkers and other providers, not for coordinators or the owner', async () => {
    const forCaseworker = await h.request<PlacementBody>('GET', `/placements/${ids.plc2}`, { token: caseworker });
    expect(forCaseworker.json.location).toEqual({ city: 'Tulsa', county: 'Tulsa', state: 'OK', zip: '74103', confidential: true });
    const forOtherProvider = await h.request<PlacementBody>('GET', `/placements/${ids.plc2}`, { token: staff1 });
    expect(forOtherProvider.json.location.address).toBeUndefined();
    expect(forOtherProvider.json.location.lat).toBeUndefined();
    expect(forOtherProvider.json.capacity).toBeUndefined();
    const forCoordinator = await h.request<PlacementBody>('GET', `/placements/${ids.plc2}`, { token: coordinatorTX });
    expect(forCoordinator.json.location.address).toBe('1 Hidden Ln');
    const forOwner = await h.request<PlacementBody>('GET', `/placements/${ids.plc2}`, { token: staff2 });
    expect(forOwner.json.location.address).toBe('1 Hidden Ln');
    expect(forOwner.json.capacity?.total).toBe(6);
  });

  it('PATCH changes profile fields, bumps the version and keeps capacity untouched', async () => {
    const res = await h.request<PlacementBody & { runPrevention: boolean }>('PATCH', `/placements/${ids.plc1}`, {
      token: staff1,
      body: { runPrevention: false, name: 'Casa Esperanza (renamed)' },
      headers: { 'if-match': '1' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: 2, runPrevention: false, name: 'Casa Esperanza (renamed)' });
    expect(res.json.capacity?.total).toBe(6);
    expect((await h.request('PATCH', `/placements/${ids.plc1}`, { token: staff1, body: { runPrevention: true }, headers: { 'if-match': '1' } })).status).toBe(412);
  });

  it('a moved placement is found near its new location and no longer near the old one', async () => {
    const created = await h.request<PlacementBody>('POST', '/placements', { token: admin, body: placementBody(ids.p1, { name: 'Moving Home' }) });
    await h.request('PATCH', `/placements/${created.json.id}`, { token: admin, body: { location: { city: 'El Paso', county: 'El Paso', state: 'TX', zip: '79901' } } });
    const nearAustin = await h.request<PageBody<PlacementBody>>('GET', '/placements?near=78701&radiusMiles=25&limit=100', { token: admin });
    expect(nearAustin.json.items.map((p) => p.id)).not.toContain(created.json.id);
    const nearElPaso = await h.request<PageBody<PlacementBody>>('GET', '/placements?near=79901&radiusMiles=25', { token: admin });
    expect(nearElPaso.json.items.map((p) => p.id)).toContain(created.json.id);
  });
});

describe('bed search', () => {
  beforeAll(async () => {
    // A spread of placements around Austin and Dallas with different filters' values.
    const make = (name: string, zip: string, city: string, county: string, extra: Record<string, unknown>) =>
      h.request('POST', '/placements', { token: admin, body: placementBody(ids.p1, { name, location: { city, county, state: 'TX', zip }, ...extra }) });
    await make('Round Rock Host Home', '78664', 'Round Rock', 'Williamson', { type: 'host_home', population: { minAge: 16, maxAge: 21, genders: ['male', 'transgender_male', 'nonbinary'] }, specializations: ['lgbtq_affirming'] });
    await make('San Marcos Shelter', '78666', 'San Marcos', 'Hays', { type: 'emergency_shelter', capacity: { total: 4, occupied: 4 } });
    await make('Dallas Residential', '75201', 'Dallas', 'Dallas', { type: 'residential_treatment' });
  });

  it('orders by distance from a ZIP, within the radius, with the distance on each item', async () => {
    const res = await h.request<PageBody<PlacementBody>>('GET', '/placements?near=78701&radiusMiles=60&limit=100', { token: caseworker });
    expect(res.status).toBe(200);
    const distances = res.json.items.map((p) => p.distanceMiles!);
    expect(distances.length).toBeGreaterThanOrEqual(3);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(Math.max(...distances)).toBeLessThanOrEqual(60);
    expect(res.json.items.map((p) => p.name)).not.toContain('Dallas Residential');
  });

  it('takes a lat,lon point as well as a ZIP', async () => {
    const res = await h.request<PageBody<PlacementBody>>('GET', '/placements?near=32.78,-96.80&radiusMiles=20', { token: caseworker });
    expect(res.json.items.map((p) => p.name)).toEqual(['Dallas Residential']);
  });

  it('filters by age, gender, type, specialization and open beds', async () => {
    const q = (qs: string) => h.request<PageBody<PlacementBody>>('GET', `/placements?near=78701&radiusMiles=60&limit=100&${qs}`, { token: coordinatorTX });
    expect((await q('age=19')).json.items.map((p) => p.name)).toEqual(['Round Rock Host Home']);
    expect((await q('gender=transgender_male')).json.items.map((p) => p.name)).toEqual(['Round Rock Host Home']);
    expect((await q('type=emergency_shelter')).json.items.map((p) => p.name)).toEqual(['San Marcos Shelter']);
    expect((await q('type=emergency_shelter&type=host_home')).json.items.map((p) => p.name).sort()).toEqual(['Round Rock Host Home', 'San Marcos Shelter']);
    expect((await q('specialization=lgbtq_affirming')).json.items.map((p) => p.name)).toEqual(['Round Rock Host Home']);
    expect((await q('openBeds=true')).json.items.map((p) => p.name)).not.toContain('San Marcos Shelter');
  });

  it('pages through distance-ordered results without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { json: PageBody<PlacementBody> } = await h.request<PageBody<PlacementBody>>(
        'GET',
        `/placements?near=78701&radiusMiles=300&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: admin },
      );
      seen.push(...res.json.items.map((p) => p.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    const all = await h.request<PageBody<PlacementBody>>('GET', '/placements?near=78701&radiusMiles=300&limit=100', { token: admin });
    expect(seen).toEqual(all.json.items.map((p) => p.id));
  });

  it('searches by state and county, and everywhere, through the index', async () => {
    const texas = await h.request<PageBody<PlacementBody>>('GET', '/placements?state=TX&limit=100', { token: admin });
    expect(texas.json.items.length).toBeGreaterThanOrEqual(5);
    const hays = await h.request<PageBody<PlacementBody>>('GET', '/placements?state=TX&county=Hays', { token: admin });
    expect(hays.json.items.map((p) => p.name)).toEqual(['San Marcos Shelter']);
    const everywhere = await h.request<PageBody<PlacementBody>>('GET', '/placements?limit=100', { token: admin });
    expect(everywhere.json.items.map((p) => p.id)).toEqual(expect.arrayContaining([ids.plc1, ids.plc2]));
  });

  it('provider staff see only their own placements', async () => {
    const res = await h.request<PageBody<PlacementBody & { providerId: string }>>('GET', '/placements?limit=100', { token: staff2 });
    expect(res.json.items.map((p) => p.id)).toEqual([ids.plc2]);
  });

  it('names a bad near, a radius without near, and a limit above 100', async () => {
    const field = async (qs: string) => (await h.request<{ error: { fields: { path: string }[] } }>('GET', `/placements?${qs}`, { token: admin })).json.error.fields[0]!.path;
    expect(await field('near=nowhere')).toBe('near');
    expect(await field('radiusMiles=10')).toBe('radiusMiles');
    expect(await field('limit=101')).toBe('limit');
    expect(await field('radiusMiles=5000&near=78701')).toBe('radiusMiles');
  });
});

describe('capacity', () => {
  it('updates with If-Match, refuses without it (428) or stale (412), and keeps every change in the history', async () => {
    const placement = await h.request<PlacementBody>('POST', '/placements', { token: staff1, body: placementBody(ids.p1, { name: 'Capacity House', capacity: { total: 5, occupied: 1 } }) });
    const id = placement.json.id;
    expect((await h.request('PUT', `/placements/${id}/capacity`, { token: staff1, body: { total: 5, occupied: 2 } })).status).toBe(428);
    const updated = await h.request<CapacityBody>('PUT', `/placements/${id}/capacity`, { token: staff1, body: { total: 5, occupied: 2 }, headers: { 'if-match': '1' } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ total: 5, occupied: 2, available: 3, version: 2, freshness: 'fresh' });
    expect(updated.headers.get('etag')).toBe('"2"');
    expect((await h.request('PUT', `/placements/${id}/capacity`, { token: staff1, body: { total: 5, occupied: 3 }, headers: { 'if-match': '1' } })).status).toBe(412);

    const confirmed = await h.request<CapacityBody>('POST', `/placements/${id}/capacity/confirm`, { token: staff1 });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.confirmedAt).toBeTruthy();
    expect(confirmed.json.version).toBe(2);

    const history = await h.request<PageBody<{ action: string; by: string; before: unknown; after: unknown; version: number }>>('GET', `/placements/${id}/capacity/history`, { token: coordinatorTX });
    expect(history.json.items.map((e) => e.action)).toEqual(['confirm', 'update', 'report']);
    expect(history.json.items[1]).toMatchObject({ by: 'staff-one', before: { total: 5, occupied: 1 }, after: { total: 5, occupied: 2 }, version: 2 });
  });

  it('refuses a count that breaks occupied ≤ total with a 422 naming the invariant, writing nothing', async () => {
    const placement = await h.request<PlacementBody>('POST', '/placements', { token: admin, body: placementBody(ids.p1, { name: 'Invariant House', capacity: { total: 3, occupied: 0 } }) });
    const res = await h.request<{ error: { code: string; message: string } }>('PUT', `/placements/${placement.json.id}/capacity`, {
      token: admin,
      body: { total: 3, occupied: 4 },
      headers: { 'if-match': '1' },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('capacity_over_committed');
    expect(res.json.error.message).toMatch(/occupied \+ onHold ≤ total/);
    const after = await h.request<PlacementBody>('GET', `/placements/${placement.json.id}`, { token: admin });
    expect(after.json.capacity).toMatchObject({ total: 3, occupied: 0, version: 1 });
    const history = await h.request<PageBody<unknown>>('GET', `/placements/${placement.json.id}/capacity/history`, { token: admin });
    expect(history.json.items).toHaveLength(1);
  });

  it('refuses to create a placement that is over-committed from the start', async () => {
    const res = await h.request<{ error: { code: string } }>('POST', '/placements', { token: admin, body: placementBody(ids.p1, { capacity: { total: 2, occupied: 3 } }) });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('capacity_over_committed');
  });
});

describe('services', () => {
  it('creates, reads, updates and searches services', async () => {
    const created = await h.request<{ id: string; version: number }>('POST', '/services', {
      token: staff1,
      body: serviceBody(ids.p1, { name: 'Telehealth CSEC Counseling', category: 'csec_counseling', modality: 'telehealth', languages: ['es'] }),
    });
    expect(created.status).toBe(201);
    const read = await h.request<{ name: string }>('GET', `/services/${created.json.id}`, { token: caseworker });
    expect(read.json.name).toBe('Telehealth CSEC Counseling');
    const patched = await h.request<{ openSlots: number; version: number }>('PATCH', `/services/${created.json.id}`, { token: staff1, body: { openSlots: 0 }, headers: { 'if-match': '1' } });
    expect(patched.json).toMatchObject({ openSlots: 0, version: 2 });
    const q = (qs: string) => h.request<PageBody<{ name: string }>>('GET', `/services?near=78701&radiusMiles=30&limit=100&${qs}`, { token: caseworker });
    expect((await q('category=csec_counseling')).json.items.map((s) => s.name)).toEqual(['Telehealth CSEC Counseling']);
    expect((await q('telehealth=true&language=es')).json.items.map((s) => s.name)).toEqual(expect.arrayContaining(['Telehealth CSEC Counseling', 'Survivor Mentoring Circle']));
    expect((await q('age=24')).json.items).toEqual([]);
    const other = await h.request('PATCH', `/services/${ids.svc2}`, { token: staff1, body: { openSlots: 9 } });
    expect(other.status).toBe(403);
  });
});

describe('audit', () => {
  it('every write above left exactly one audit record, in the same transaction, readable by admins', async () => {
    const audits = await scanItems(h.doc, h.tableName, 'AUDIT#');
    const writes = (await scanItems(h.doc, h.tableName)).filter((i) => ['provider', 'placement', 'service'].includes(i.entity as string));
    // Each created object has its create record.
    for (const w of writes) expect(audits.some((a) => a.targetId === w.id && String(a.action).endsWith('.create'))).toBe(true);
    const capacityChanges = (await scanItems(h.doc, h.tableName, 'PLACEMENT#')).filter((i) => i.entity === 'capacity_history' && i.action !== 'report');
    expect(audits.filter((a) => String(a.action).startsWith('capacity.')).length).toBe(capacityChanges.length);

    const res = await h.request<PageBody<{ action: string; actor: string; role: string; targetId: string; requestId: string; changes: Record<string, unknown> }>>(
      'GET',
      `/audit?targetId=${ids.plc1}`,
      { token: admin },
    );
    expect(res.json.items.map((a) => a.action)).toEqual(['placement.update', 'placement.create']);
    expect(res.json.items[0]).toMatchObject({ actor: 'staff-one', role: 'provider', changes: { runPrevention: { before: true, after: false } } });
    expect(res.json.items[0]!.requestId).toBeTruthy();

    const byActor = await h.request<PageBody<{ actor: string }>>('GET', '/audit?actor=staff-one&limit=100', { token: admin });
    expect(byActor.json.items.length).toBeGreaterThan(3);
    expect(byActor.json.items.every((a) => a.actor === 'staff-one')).toBe(true);

    const all = await h.request<PageBody<{ at: string }>>('GET', '/audit?limit=5', { token: admin });
    expect(all.json.items).toHaveLength(5);
    const times = all.json.items.map((a) => a.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.json.nextCursor).toBeTruthy();
  });
});

describe('OpenAPI', () => {
  it('documents exactly the routes that exist', async () => {
    const res = await h.request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json', { token: caseworker });
    expect(res.status).toBe(200);
    const documented = Object.entries(res.json.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
