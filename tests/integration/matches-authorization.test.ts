/**
 * The authorisation matrix of the matching routes (the directory's lives in
 * authorization-matrix.test.ts): every route × role, and own vs. other object or state where the
 * route has one. A status other than 401/403 means the caller got past authorisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth/roles';
import { seedTwoProviders } from '../support/directory-fixtures';
import type { TwoProviders } from '../support/directory-fixtures';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

let h: Harbor;
let ids: TwoProviders;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  h = await startHarbor();
  tokens.admin = await h.tokenFor({ role: 'admin', sub: 'mx-admin' });
  ids = await seedTwoProviders(h, tokens.admin);
  tokens.coordinator = await h.tokenFor({ role: 'coordinator', sub: 'mx-coord', jurisdiction: 'TX' });
  tokens.caseworker = await h.tokenFor({ role: 'caseworker', sub: 'mx-cw', agencyId: 'agency-1' });
  tokens.provider = await h.tokenFor({ role: 'provider', sub: 'mx-staff', providerId: ids.p1 });
});

afterAll(async () => {
  await h?.close();
});

const youth = { age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_confirmed'] };
const policy = { weights: { needs: 4, specialization: 2, distance: 1.5, freshness: 1.5, language: 1, runRisk: 1.5, wraparound: 1 }, matching: { distanceHalfLifeMiles: 60, defaultMaxDistanceMiles: 300, wraparoundRadiusMiles: 25, matchRetentionHours: 72 }, referrals: { holdWindowMinutes: 240, responseWindowMinutes: 1440, escalationMinutes: 120, youthRetentionDays: 90 } };

interface Case {
  name: string;
  method: string;
  path: (role: Role) => string;
  body?: unknown;
  headers?: Record<string, string>;
  expect: Record<Role, number>;
}

// Paths may depend on the role: an admin names the provider or state a scoped role gets from its token.
const CASES: Case[] = [
  { name: 'POST /matches', method: 'POST', path: () => '/matches', body: { youth }, expect: { admin: 200, coordinator: 200, caseworker: 200, provider: 403 } },
  { name: 'GET /policy', method: 'GET', path: () => '/policy', expect: { admin: 200, coordinator: 200, caseworker: 403, provider: 403 } },
  // A version that is not current: an admin gets past authorisation to the 412; nothing changes.
  { name: 'PUT /policy', method: 'PUT', path: () => '/policy', body: policy, headers: { 'if-match': '999' }, expect: { admin: 412, coordinator: 403, caseworker: 403, provider: 403 } },
  { name: 'GET /capacity-requests (own)', method: 'GET', path: (r) => (r === 'admin' ? `/capacity-requests?providerId=${ids.p1}` : '/capacity-requests'), expect: { admin: 200, coordinator: 403, caseworker: 403, provider: 200 } },
  { name: 'GET /capacity-requests (other provider)', method: 'GET', path: () => `/capacity-requests?providerId=${ids.p2}`, expect: { admin: 200, coordinator: 403, caseworker: 403, provider: 403 } },
  { name: 'GET /capacity/stale (own state)', method: 'GET', path: () => '/capacity/stale?state=TX', expect: { admin: 200, coordinator: 200, caseworker: 403, provider: 403 } },
  { name: 'GET /capacity/stale (other state)', method: 'GET', path: () => '/capacity/stale?state=OK', expect: { admin: 200, coordinator: 403, caseworker: 403, provider: 403 } },
  { name: 'GET /reports/unmet-demand (own state)', method: 'GET', path: () => '/reports/unmet-demand?state=TX', expect: { admin: 200, coordinator: 200, caseworker: 403, provider: 403 } },
  { name: 'GET /reports/unmet-demand (other state)', method: 'GET', path: () => '/reports/unmet-demand?state=OK', expect: { admin: 200, coordinator: 403, caseworker: 403, provider: 403 } },
];

describe('authorisation matrix of the matching routes', () => {
  for (const c of CASES) {
    for (const role of ['admin', 'coordinator', 'caseworker', 'provider'] as const) {
      it(`${c.name} as ${role} → ${c.expect[role]}`, async () => {
        const res = await h.request(c.method, c.path(role), { token: tokens[role], ...(c.body ? { body: c.body } : {}), ...(c.headers ? { headers: c.headers } : {}) });
        expect(res.status, res.text).toBe(c.expect[role]);
      });
    }
    it(`${c.name} without a token → 401`, async () => {
      const res = await h.request(c.method, c.path('admin'), { ...(c.body ? { body: c.body } : {}) });
      expect(res.status).toBe(401);
    });
  }
});
