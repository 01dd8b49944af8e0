/**
 * Every directory route × every role × own object / another's object, each cell asserted.
 * "Own" means: for provider staff, their provider's objects; for a coordinator, objects in their
 * jurisdiction (TX); for admins and caseworkers the two columns must agree (they have no owner).
 * Matching and referral routes have their matrices beside their own tests (see ELSEWHERE_PATTERN).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth/roles';
import { ROUTES } from '../../shared/routes';
import { placementBody, providerBody, seedTwoProviders, serviceBody } from '../support/directory-fixtures';
import type { TwoProviders } from '../support/directory-fixtures';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

type Cell = number;
type Row = Record<Role, { own: Cell; other: Cell }>;

interface Case {
  fn: string;
  /** Builds the request for the own (P1 / TX) or other (P2 / OK) object. */
  request: (ids: TwoProviders, target: 'own' | 'other') => { method: string; path: string; body?: unknown; ifMatchOf?: string };
  expect: Row;
}

const same = (status: number) => ({ own: status, other: status });

const CASES: Case[] = [
  { fn: 'health', request: () => ({ method: 'GET', path: '/health' }), expect: { admin: same(200), coordinator: same(200), caseworker: same(200), provider: same(200) } },
  { fn: 'get-openapi', request: () => ({ method: 'GET', path: '/openapi.json' }), expect: { admin: same(200), coordinator: same(200), caseworker: same(200), provider: same(200) } },
  {
    fn: 'create-provider',
    request: () => ({ method: 'POST', path: '/providers', body: providerBody({ name: 'Matrix Provider' }) }),
    expect: { admin: same(201), coordinator: same(403), caseworker: same(403), provider: same(403) },
  },
  {
    fn: 'list-providers',
    request: () => ({ method: 'GET', path: '/providers' }),
    expect: { admin: same(200), coordinator: same(200), caseworker: same(403), provider: same(200) },
  },
  {
    fn: 'get-provider',
    request: (ids, t) => ({ method: 'GET', path: `/providers/${t === 'own' ? ids.p1 : ids.p2}` }),
    expect: { admin: same(200), coordinator: same(200), caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'update-provider',
    request: (ids, t) => ({ method: 'PATCH', path: `/providers/${t === 'own' ? ids.p1 : ids.p2}`, body: { description: 'updated in the matrix' } }),
    expect: { admin: same(200), coordinator: same(403), caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'create-placement',
    request: (ids, t) => ({ method: 'POST', path: '/placements', body: placementBody(t === 'own' ? ids.p1 : ids.p2, { name: 'Matrix Placement' }) }),
    expect: { admin: same(201), coordinator: same(403), caseworker: same(403), provider: { own: 201, other: 403 } },
  },
  {
    fn: 'search-placements',
    request: (ids, t) => ({ method: 'GET', path: `/placements?providerId=${t === 'own' ? ids.p1 : ids.p2}` }),
    expect: { admin: same(200), coordinator: same(200), caseworker: same(200), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'get-placement',
    request: (ids, t) => ({ method: 'GET', path: `/placements/${t === 'own' ? ids.plc1 : ids.plc2}` }),
    expect: { admin: same(200), coordinator: same(200), caseworker: same(200), provider: same(200) },
  },
  {
    fn: 'update-placement',
    request: (ids, t) => ({ method: 'PATCH', path: `/placements/${t === 'own' ? ids.plc1 : ids.plc2}`, body: { description: 'matrix' } }),
    expect: { admin: same(200), coordinator: same(403), caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'update-capacity',
    request: (ids, t) => {
      const id = t === 'own' ? ids.plc1 : ids.plc2;
      return { method: 'PUT', path: `/placements/${id}/capacity`, body: { total: 6, occupied: 3 }, ifMatchOf: id };
    },
    expect: { admin: same(200), coordinator: same(403), caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'confirm-capacity',
    request: (ids, t) => ({ method: 'POST', path: `/placements/${t === 'own' ? ids.plc1 : ids.plc2}/capacity/confirm` }),
    expect: { admin: same(200), coordinator: same(403), caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'get-capacity-history',
    request: (ids, t) => ({ method: 'GET', path: `/placements/${t === 'own' ? ids.plc1 : ids.plc2}/capacity/history` }),
    expect: { admin: same(200), coordinator: { own: 200, other: 403 }, caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'create-service',
    request: (ids, t) => ({ method: 'POST', path: '/services', body: serviceBody(t === 'own' ? ids.p1 : ids.p2, { name: 'Matrix Service' }) }),
    expect: { admin: same(201), coordinator: same(403), caseworker: same(403), provider: { own: 201, other: 403 } },
  },
  {
    fn: 'search-services',
    request: (ids, t) => ({ method: 'GET', path: `/services?providerId=${t === 'own' ? ids.p1 : ids.p2}` }),
    expect: { admin: same(200), coordinator: same(200), caseworker: same(200), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'get-service',
    request: (ids, t) => ({ method: 'GET', path: `/services/${t === 'own' ? ids.svc1 : ids.svc2}` }),
    expect: { admin: same(200), coordinator: same(200), caseworker: same(200), provider: same(200) },
  },
  {
    fn: 'update-service',
    request: (ids, t) => ({ method: 'PATCH', path: `/services/${t === 'own' ? ids.svc1 : ids.svc2}`, body: { waitDays: 2 } }),
    expect: { admin: same(200), coordinator: same(403), caseworker: same(403), provider: { own: 200, other: 403 } },
  },
  {
    fn: 'list-audit',
    request: (ids, t) => ({ method: 'GET', path: `/audit?targetId=${t === 'own' ? ids.plc1 : ids.plc2}` }),
    expect: { admin: same(200), coordinator: same(403), caseworker: same(403), provider: same(403) },
  },
];

/** Routes whose matrices live with their feature's tests (matching, referrals). */
const ELSEWHERE_PATTERN = /^(create-match|get-policy|update-policy|list-capacity-requests|list-stale-placements|get-unmet-demand|.*referral.*|stream-events)$/;

let h: Harbor;
let ids: TwoProviders;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  h = await startHarbor();
  tokens.admin = await h.tokenFor({ role: 'admin', sub: 'matrix-admin' });
  ids = await seedTwoProviders(h, tokens.admin);
  tokens.coordinator = await h.tokenFor({ role: 'coordinator', sub: 'matrix-coord', jurisdiction: 'TX' });
  tokens.caseworker = await h.tokenFor({ role: 'caseworker', sub: 'matrix-cw', agencyId: 'agency-1' });
  tokens.provider = await h.tokenFor({ role: 'provider', sub: 'matrix-staff', providerId: ids.p1 });
});

afterAll(async () => {
  await h?.close();
});

describe('authorisation matrix', () => {
  it('covers every route in the route table', () => {
    const covered = new Set(CASES.map((c) => c.fn));
    const missing = ROUTES.map((r) => r.fn as string).filter((fn) => !covered.has(fn) && !ELSEWHERE_PATTERN.test(fn));
    expect(missing).toEqual([]);
  });

  for (const c of CASES) {
    for (const role of ['admin', 'coordinator', 'caseworker', 'provider'] as const) {
      for (const target of ['own', 'other'] as const) {
        const expected = c.expect[role][target];
        it(`${c.fn} as ${role} on ${target} object → ${expected}`, async () => {
          const req = c.request(ids, target);
          const headers: Record<string, string> = {};
          if (req.ifMatchOf) {
            const current = await h.request<{ capacity: { version: number } }>('GET', `/placements/${req.ifMatchOf}`, { token: tokens.admin });
            headers['if-match'] = String(current.json.capacity.version);
          }
          const res = await h.request(req.method, req.path, { token: tokens[role], ...(req.body ? { body: req.body } : {}), headers });
          expect(res.status, res.text).toBe(expected);
        });
      }
    }
  }

  it('refuses every non-public route without a token', async () => {
    for (const route of ROUTES) {
      if (route.roles === 'public') continue;
      const path = route.path.replace(/\{\w+\}/g, 'x-1');
      const res = await h.request(route.method, path, route.method === 'GET' ? {} : { body: {} });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
