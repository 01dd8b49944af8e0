/**
 * A program that is not taking youth — its provider made inactive, or the placement itself — is
 * never offered as an open bed by the bed search and never gets a referral or a held bed, as
 * matching already treats it (rule `inactive`). Over HTTP on DynamoDB Local, with the directory
 * built through the API as a provider's staff and an admin would build it.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/auth/actor';
import { newAuditEntry } from '../../shared/data/audit';
import { getPlacement } from '../../shared/data/placements';
import { getReferral, holdBed } from '../../shared/data/referrals';
import { TransactionConditionFailed } from '../../shared/data/transact';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import type { Referral } from '../../shared/domain/referrals/referral';
import { holdExpiry } from '../../shared/domain/referrals/referral';
import { transition } from '../../shared/domain/referrals/state-machine';
import { createAs, placementBody, providerBody } from '../support/directory-fixtures';
import { scanItems } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface PlacementBody {
  id: string;
  active: boolean;
  capacity?: { onHold: number; available: number };
}
interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}
interface ReferralBody {
  id: string;
  status: string;
}

let h: Harbor;
let admin: string;
let coordinator: string;
let caseworker: string;
/** Staff of the provider that is deactivated, and of the one whose placement is. */
let staffA: string;
let staffB: string;
const ids = { providerA: '', placementA: '', providerB: '', placementB: '' };

const youth = (caseRef: string) => ({ caseRef, age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_confirmed'], runRisk: 'high' });

async function setActive(path: string, active: boolean): Promise<void> {
  const current = await h.request<{ version: number }>('GET', path, { token: admin });
  const res = await h.request('PATCH', path, { token: admin, body: { active }, headers: { 'if-match': String(current.json.version) } });
  expect(res.status, res.text).toBe(200);
}
const setProviderActive = (id: string, active: boolean) => setActive(`/providers/${id}`, active);
const setPlacementActive = (id: string, active: boolean) => setActive(`/placements/${id}`, active);

async function search(query: string, token = coordinator): Promise<PlacementBody[]> {
  const res = await h.request<PageBody<PlacementBody>>('GET', `/placements?${[query, 'limit=100'].filter(Boolean).join('&')}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

function refer(placementId: string, key: string = randomUUID(), caseRef = `TX-${randomInt(100_000_000, 1_000_000_000)}`) {
  return h.request<ReferralBody & ErrorBody>('POST', '/referrals', { token: caseworker, body: { placementId, youth: youth(caseRef) }, headers: { 'idempotency-key': key } });
}

async function referralTo(placementId: string): Promise<ReferralBody> {
  const res = await refer(placementId);
  expect(res.status, res.text).toBe(201);
  return res.json;
}

const accept = (token: string, id: string) => h.request<ReferralBody & ErrorBody>('POST', `/referrals/${id}/accept`, { token });

async function heldBeds(placementId: string): Promise<number> {
  const res = await h.request<PlacementBody>('GET', `/placements/${placementId}`, { token: admin });
  return res.json.capacity!.onHold;
}

const referralItemsTo = async (placementId: string) =>
  (await scanItems(h.doc, h.tableName, 'REFERRAL#')).filter((i) => i.entity === 'referral' && i.placementId === placementId);

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'inactive-admin' });
  coordinator = await h.tokenFor({ role: 'coordinator', sub: 'inactive-coord', jurisdiction: 'TX' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'inactive-cw', agencyId: 'agency-travis' });
  const create = (path: string, body: unknown) => createAs(h, admin, path, body);
  ids.providerA = await create('/providers', providerBody({ name: 'Closing Provider' }));
  ids.placementA = await create('/placements', placementBody(ids.providerA, { name: 'Closing House', capacity: { total: 6, occupied: 2 } }));
  ids.providerB = await create('/providers', providerBody({ name: 'Open Provider' }));
  ids.placementB = await create('/placements', placementBody(ids.providerB, { name: 'Paused House', capacity: { total: 6, occupied: 2 } }));
  staffA = await h.tokenFor({ role: 'provider', sub: 'staff-a', providerId: ids.providerA });
  staffB = await h.tokenFor({ role: 'provider', sub: 'staff-b', providerId: ids.providerB });
});

afterAll(async () => {
  await h?.close();
});

describe('bed search', () => {
  it("shows an inactive provider's placements as inactive in every scope and leaves them out of open beds; reactivated, they are offered again", async () => {
    await setProviderActive(ids.providerA, false);
    try {
      // Near a point, in a state and county, under the provider, and everywhere.
      for (const scope of ['near=78701&radiusMiles=25', 'state=TX', 'state=TX&county=Travis', `providerId=${ids.providerA}`, '']) {
        const found = (await search(scope)).find((p) => p.id === ids.placementA);
        expect({ scope, active: found?.active }).toEqual({ scope, active: false });
        const open = await search([scope, 'openBeds=true'].filter(Boolean).join('&'));
        expect({ scope, offered: open.some((p) => p.id === ids.placementA) }).toEqual({ scope, offered: false });
      }
      // The provider's own staff see the same: their programs are not being offered.
      expect((await search('', staffA)).find((p) => p.id === ids.placementA)?.active).toBe(false);
    } finally {
      await setProviderActive(ids.providerA, true);
    }
    const reopened = await search('near=78701&radiusMiles=25&openBeds=true');
    expect(reopened.find((p) => p.id === ids.placementA)?.active).toBe(true);
  });

  it("a placement's own page shows it inactive to those who place youth while its provider is inactive; those who edit it see the flag they set", async () => {
    const shown = async (token: string) => {
      const res = await h.request<PlacementBody>('GET', `/placements/${ids.placementA}`, { token });
      expect(res.status, res.text).toBe(200);
      return res.json.active;
    };
    await setProviderActive(ids.providerA, false);
    try {
      expect(await shown(coordinator)).toBe(false);
      expect(await shown(caseworker)).toBe(false);
      expect(await shown(staffB)).toBe(false);
      // Admins and the provider's staff edit the placement's own flag, kept for reactivation.
      expect(await shown(admin)).toBe(true);
      expect(await shown(staffA)).toBe(true);
    } finally {
      await setProviderActive(ids.providerA, true);
    }
    expect(await shown(coordinator)).toBe(true);
  });

  it('an inactive placement of an active provider is shown inactive and left out of open beds too', async () => {
    await setPlacementActive(ids.placementB, false);
    try {
      expect((await search('near=78701&radiusMiles=25')).find((p) => p.id === ids.placementB)?.active).toBe(false);
      expect((await search('near=78701&radiusMiles=25&openBeds=true')).some((p) => p.id === ids.placementB)).toBe(false);
    } finally {
      await setPlacementActive(ids.placementB, true);
    }
  });
});

describe('stale counts to chase', () => {
  it("a coordinator is not sent to chase the count of an inactive provider's program; reactivated, it is listed again", async () => {
    // Never counted: freshness unknown.
    const uncounted = await createAs(h, admin, '/placements', placementBody(ids.providerA, { name: 'Uncounted House', capacity: undefined }));
    const listed = async () => (await h.request<PageBody<{ placementId: string }>>('GET', '/capacity/stale?freshness=unknown&limit=100', { token: coordinator })).json.items.some((i) => i.placementId === uncounted);
    expect(await listed()).toBe(true);
    await setProviderActive(ids.providerA, false);
    try {
      expect(await listed()).toBe(false);
    } finally {
      await setProviderActive(ids.providerA, true);
    }
    expect(await listed()).toBe(true);
  });
});

describe('referrals', () => {
  it("refuses a referral to a placement of an inactive provider (409 placement_inactive naming the provider) and writes nothing, not even the key's claim", async () => {
    const key = randomUUID();
    const caseRef = 'TX-1731-1';
    const creates = async () => (await scanItems(h.doc, h.tableName, 'AUDIT#')).filter((a) => a.action === 'referral.create').length;
    const createsBefore = await creates();
    await setProviderActive(ids.providerA, false);
    let refused;
    try {
      refused = await refer(ids.placementA, key, caseRef);
    } finally {
      await setProviderActive(ids.providerA, true);
    }

    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.code).toBe('placement_inactive');
    expect(refused.json.error.message).toContain(`provider ${ids.providerA} is inactive`);
    expect(await referralItemsTo(ids.placementA)).toEqual([]);
    expect(await creates()).toBe(createsBefore);

    // The same key is free once the provider is active again: the refusal claimed nothing.
    const retried = await refer(ids.placementA, key, caseRef);
    expect(retried.status, retried.text).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('false');
  });

  it('refuses to hold a bed once the provider is inactive: 409, the referral stays requested, no bed held, no accept audited', async () => {
    const r = await referralTo(ids.placementA);
    const heldBefore = await heldBeds(ids.placementA);
    await setProviderActive(ids.providerA, false);
    let refused;
    try {
      refused = await accept(staffA, r.id);
    } finally {
      await setProviderActive(ids.providerA, true);
    }

    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.code).toBe('placement_inactive');
    expect(refused.json.error.message).toContain(`provider ${ids.providerA} is inactive`);
    expect((await h.request<ReferralBody>('GET', `/referrals/${r.id}`, { token: caseworker })).json.status).toBe('requested');
    expect(await heldBeds(ids.placementA)).toBe(heldBefore);
    const audits = await scanItems(h.doc, h.tableName, 'AUDIT#');
    expect(audits.filter((a) => a.action === 'referral.accept' && a.targetId === r.id)).toEqual([]);

    // Reactivated, the same referral can hold its bed.
    const accepted = await accept(staffA, r.id);
    expect(accepted.status, accepted.text).toBe(200);
    expect(await heldBeds(ids.placementA)).toBe(heldBefore + 1);
  });

  it('an inactive placement of an active provider refuses referrals and holds the same way', async () => {
    const r = await referralTo(ids.placementB);
    await setPlacementActive(ids.placementB, false);
    try {
      const created = await refer(ids.placementB);
      const held = await accept(staffB, r.id);
      expect([created.status, created.json.error.code]).toEqual([409, 'placement_inactive']);
      expect([held.status, held.json.error.code]).toEqual([409, 'placement_inactive']);
      expect(await heldBeds(ids.placementB)).toBe(0);
    } finally {
      await setPlacementActive(ids.placementB, true);
    }
  });

  it('a provider deactivated between the read and the hold: the transaction itself refuses the bed and writes nothing', async () => {
    // Prepare: what accept has read while the provider was still active.
    const r = await referralTo(ids.placementA);
    const referral = (await getReferral(r.id, { consistent: true }))!;
    const placement = (await getPlacement(ids.placementA, { consistent: true }))!;
    const at = new Date().toISOString();
    const t = transition(referral, 'accept', { at, by: 'staff-a' });
    const after: Referral = { ...referral, status: t.to, history: t.history, holdExpiresAt: holdExpiry(at, DEFAULT_POLICY.referrals), updatedAt: at, version: referral.version + 1 };
    const actor: Actor = { sub: 'staff-a', role: 'provider', providerId: ids.providerA, jurisdiction: [] };
    const audit = newAuditEntry({ actor, action: 'referral.accept', targetType: 'referral', targetId: r.id, changes: {}, requestId: 'race', at });
    const { total, occupied, version } = placement.capacity;
    const heldBefore = await heldBeds(ids.placementA);

    // Act: the deactivation lands before the hold's transaction.
    await setProviderActive(ids.providerA, false);
    try {
      const hold = holdBed({ change: { before: referral, from: t.from, step: t.step, after, timing: 'answer', now: at }, capacity: { expectedVersion: version, total, occupied, lapsedHoldIds: [] }, audit });
      // Assess
      await expect(hold).rejects.toBeInstanceOf(TransactionConditionFailed);
    } finally {
      await setProviderActive(ids.providerA, true);
    }
    expect((await getReferral(r.id, { consistent: true }))!.status).toBe('requested');
    expect(await heldBeds(ids.placementA)).toBe(heldBefore);
    expect((await scanItems(h.doc, h.tableName, 'AUDIT#')).some((a) => a.requestId === 'race')).toBe(false);
  });
});
