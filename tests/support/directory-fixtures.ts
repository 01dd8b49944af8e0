import type { Harbor } from './local-harbor';

/** Request bodies a real client would send, with overrides for the case at hand. */
export function providerBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Lone Star Youth Services',
    contacts: [{ name: 'Intake desk', phone: '512-555-0100', email: 'intake@example.org' }],
    license: { number: 'TX-DFPS-1001', expires: '2027-12-31' },
    accreditations: ['COA'],
    statesServed: ['TX', 'OK'],
    ...overrides,
  };
}

export function placementBody(providerId: string, overrides: Record<string, unknown> = {}) {
  return {
    providerId,
    name: 'Casa Esperanza Group Home',
    type: 'group_home',
    location: { address: '100 Congress Ave', city: 'Austin', county: 'Travis', state: 'TX', zip: '78701', confidential: false },
    population: { minAge: 12, maxAge: 17, genders: ['female', 'transgender_female'], acceptsPregnant: true, acceptsParenting: false },
    specializations: ['csec', 'trauma_informed'],
    traumaModels: ['tbri'],
    security: 'staff_secure',
    runPrevention: true,
    languages: ['en', 'es'],
    exclusions: ['fire_setting'],
    acceptsOutOfState: true,
    license: { number: 'TX-GRO-2001', expires: '2027-06-30' },
    intake: { twentyFourSeven: true, emergency: true, responseHours: 2 },
    capacity: { total: 6, occupied: 2 },
    ...overrides,
  };
}

export function serviceBody(providerId: string, overrides: Record<string, unknown> = {}) {
  return {
    providerId,
    name: 'Survivor Mentoring Circle',
    category: 'survivor_mentoring',
    location: { city: 'Austin', county: 'Travis', state: 'TX', zip: '78702' },
    serviceArea: { radiusMiles: 40, states: ['TX'] },
    modality: 'both',
    population: { minAge: 12, maxAge: 21, genders: ['female', 'male', 'nonbinary'] },
    languages: ['en', 'es'],
    waitDays: 3,
    openSlots: 4,
    ...overrides,
  };
}

/** Two providers with a placement and a service each: one in Texas, one in Oklahoma. */
export interface TwoProviders {
  p1: string;
  p2: string;
  plc1: string;
  plc2: string;
  svc1: string;
  svc2: string;
}

/** POSTs `body` to a create route as `token` and returns the new id; anything but 201 throws. */
export async function createAs(h: Harbor, token: string, path: string, body: unknown): Promise<string> {
  const res = await h.request<{ id: string }>('POST', path, { token, body });
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${res.text}`);
  return res.json.id;
}

export async function seedTwoProviders(h: Harbor, adminToken: string): Promise<TwoProviders> {
  const create = (path: string, body: unknown) => createAs(h, adminToken, path, body);
  const p1 = await create('/providers', providerBody({ name: 'Provider One' }));
  const p2 = await create('/providers', providerBody({ name: 'Provider Two', statesServed: ['OK'] }));
  const plc1 = await create('/placements', placementBody(p1));
  const plc2 = await create(
    '/placements',
    placementBody(p2, {
      name: 'Red Earth Safe House',
      location: { address: '1 Hidden Ln', city: 'Tulsa', county: 'Tulsa', state: 'OK', zip: '74103', confidential: true },
    }),
  );
  const svc1 = await create('/services', serviceBody(p1));
  const svc2 = await create('/services', serviceBody(p2, { location: { city: 'Tulsa', state: 'OK', zip: '74103' }, serviceArea: { states: ['OK'] } }));
  return { p1, p2, plc1, plc2, svc1, svc2 };
}
