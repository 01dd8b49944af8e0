/**
 * The authorisation matrix of the referral routes: every route × role × own/other object, over
 * HTTP. Two sides: A (agency-own's caseworker referring a Texas youth to prov-own's Texas
 * placement) and B (agency-other referring an Oklahoma youth to prov-other's Oklahoma placement).
 * Each actor's "own" object is on its side; admins see both. A referral a caller may not see is a
 * 404 (its existence is not confirmed); a role the route does not admit is a 403.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth/roles';
import type { Placement } from '../../shared/schemas/directory';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';
import type { Actors, ReferralBody } from './referrals-fixtures';
import { OTHER_PROVIDER, PROVIDER, act, actors, capacityNow, createReferral, putPlacement, youth } from './referrals-fixtures';

type ActorName = keyof Actors;
type Side = 'A' | 'B';
type Verb = 'accept' | 'decline' | 'place' | 'withdraw';

const ROLE: Record<ActorName, Role> = {
  admin: 'admin',
  coordinator: 'coordinator',
  otherCoordinator: 'coordinator',
  caseworker: 'caseworker',
  otherCaseworker: 'caseworker',
  provider: 'provider',
  otherProvider: 'provider',
};
/** The side whose referrals each actor may see (admins: both). */
const OWN_SIDE: Record<ActorName, Side | 'both'> = {
  admin: 'both',
  coordinator: 'A',
  otherCoordinator: 'B',
  caseworker: 'A',
  otherCaseworker: 'B',
  provider: 'A',
  otherProvider: 'B',
};
const ACTOR_NAMES = Object.keys(ROLE) as ActorName[];
const other = (side: Side): Side => (side === 'A' ? 'B' : 'A');
const visible = (name: ActorName, side: Side) => OWN_SIDE[name] === 'both' || OWN_SIDE[name] === side;
/** The object an actor calls "own" and "other" (admins have no other: both sides are theirs). */
const objectSide = (name: ActorName, object: 'own' | 'other'): Side => {
  const own = OWN_SIDE[name] === 'both' ? 'A' : (OWN_SIDE[name] as Side);
  return object === 'own' ? own : other(own);
};

const BODY: Record<Verb, unknown> = { accept: undefined, place: undefined, decline: { reason: 'staffing' }, withdraw: { reason: 'other' } };

/** The contract: who may do what to which referral (API.md), as the status each call must get. */
function expectedStatus(verb: Verb, name: ActorName, side: Side): number {
  const role = ROLE[name];
  const admitted = verb === 'withdraw' ? role === 'caseworker' || role === 'coordinator' : role === 'provider';
  if (!admitted) return 403;
  return visible(name, side) ? 200 : 404;
}

describe('referral routes: authorisation matrix', () => {
  let harbor: Harbor;
  let who: Actors;
  const placements = {} as Record<Side, Placement>;
  const standing = {} as Record<Side, ReferralBody>;

  /** A referral on `side`, in `state`, made for this check alone. */
  async function fresh(side: Side, state: 'requested' | 'accepted'): Promise<ReferralBody> {
    const token = side === 'A' ? who.caseworker : who.otherCaseworker;
    const zip = side === 'A' ? '78701' : '73102';
    const res = await createReferral(harbor, token, { placementId: placements[side].id, youth: youth(`${side}-${randomInt(100_000_000, 1_000_000_000)}-1`, { location: { zip } }) });
    expect(res.status).toBe(201);
    if (state === 'accepted') {
      const accepted = await act(harbor, side === 'A' ? who.provider : who.otherProvider, res.json.id, 'accept');
      expect(accepted.status).toBe(200);
    }
    return res.json;
  }

  beforeAll(async () => {
    harbor = await startHarbor();
    who = await actors(harbor);
    placements.A = await putPlacement(harbor, { providerId: PROVIDER, state: 'TX', zip: '78701', total: 50 });
    placements.B = await putPlacement(harbor, { providerId: OTHER_PROVIDER, state: 'OK', zip: '73102', total: 50 });
    standing.A = await fresh('A', 'requested');
    standing.B = await fresh('B', 'requested');
  });

  afterAll(async () => {
    await harbor?.close();
  });

  describe('GET /referrals/{id}', () => {
    const rows = ACTOR_NAMES.flatMap((name) => (['own', 'other'] as const).map((object) => ({ name, object })));
    it.each(rows)('$name reading its $object referral', async ({ name, object }) => {
      const side = objectSide(name, object);
      const res = await harbor.request<ReferralBody>('GET', `/referrals/${standing[side].id}`, { token: who[name] });
      expect(res.status).toBe(visible(name, side) ? 200 : 404);
    });
  });

  describe('GET /referrals', () => {
    it.each(ACTOR_NAMES)('%s lists exactly the referrals it may see', async (name) => {
      const res = await harbor.request<{ items: ReferralBody[] }>('GET', '/referrals?limit=100', { token: who[name] });
      expect(res.status).toBe(200);
      const ids = res.json.items.map((r) => r.id);
      for (const side of ['A', 'B'] as const) expect(ids.includes(standing[side].id)).toBe(visible(name, side));
      for (const r of res.json.items) expect(visible(name, r.providerId === PROVIDER ? 'A' : 'B')).toBe(true);
    });

    it.each(ACTOR_NAMES)('%s filtering by another side\'s placement sees none of its referrals', async (name) => {
      if (OWN_SIDE[name] === 'both') return;
      const side = other(OWN_SIDE[name] as Side);
      const res = await harbor.request<{ items: ReferralBody[] }>('GET', `/referrals?placementId=${placements[side].id}`, { token: who[name] });
      expect(res.status).toBe(200);
      expect(res.json.items).toEqual([]);
    });
  });

  describe('POST /referrals/{id}/accept|decline|place|withdraw', () => {
    const rows = (['accept', 'decline', 'place', 'withdraw'] as const).flatMap((verb) =>
      ACTOR_NAMES.flatMap((name) => (['own', 'other'] as const).map((object) => ({ verb, name, object }))),
    );
    it.each(rows)('$verb by $name on its $object referral', async ({ verb, name, object }) => {
      const side = objectSide(name, object);
      const expected = expectedStatus(verb, name, side);
      // Allowed calls get a referral of their own in the right state; refused ones aim at the
      // standing referral, which must come out of the whole matrix untouched.
      const target = expected === 200 ? await fresh(side, verb === 'place' ? 'accepted' : 'requested') : standing[side];
      const res = await act(harbor, who[name], target.id, verb, BODY[verb]);
      expect(res.status).toBe(expected);
      if (expected === 404) expect(res.json.error.code).toBe('not_found');
      if (expected === 403) expect(res.json.error.code).toBe('forbidden');
    });

    it('left the referrals every refused call aimed at untouched', async () => {
      for (const side of ['A', 'B'] as const) {
        const res = await harbor.request<ReferralBody>('GET', `/referrals/${standing[side].id}`, { token: who.admin });
        expect(res.json.status).toBe('requested');
        expect(res.json.history).toHaveLength(1);
        expect((await capacityNow(placements[side].id)).holds[standing[side].id]).toBeUndefined();
      }
    });
  });

  describe('POST /referrals', () => {
    const rows = ACTOR_NAMES.flatMap((name) => (['own', 'other'] as const).map((object) => ({ name, object })));
    it.each(rows)('$name referring to the $object side\'s placement', async ({ name, object }) => {
      const side = objectSide(name, object);
      const zip = side === 'A' ? '78701' : '73102';
      const res = await createReferral(harbor, who[name], { placementId: placements[side].id, youth: youth(`NEW-${rows.findIndex((r) => r.name === name && r.object === object)}-1`, { location: { zip } }) });
      const role = ROLE[name];
      // Caseworkers may refer to any placement; coordinators only within their jurisdiction.
      const expected = role === 'caseworker' ? 201 : role === 'coordinator' ? (object === 'own' ? 201 : 403) : 403;
      expect(res.status).toBe(expected);
    });
  });

  it('coordinators see a referral by the placement\'s state or the youth\'s state, listed once', async () => {
    // A Texas placement for an Oklahoma youth.
    const cross = await createReferral(harbor, who.caseworker, { placementId: placements.A.id, youth: youth('X-1581', { location: { zip: '73102' } }) });
    const both = await harbor.tokenFor({ role: 'coordinator', sub: 'co-both', jurisdiction: 'TX,OK' });
    const elsewhere = await harbor.tokenFor({ role: 'coordinator', sub: 'co-ca', jurisdiction: 'CA' });

    const get = (token: string) => harbor.request('GET', `/referrals/${cross.json.id}`, { token });
    expect((await get(who.coordinator)).status).toBe(200);
    expect((await get(who.otherCoordinator)).status).toBe(200);
    expect((await get(elsewhere)).status).toBe(404);

    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: ReferralBody[]; nextCursor: string | null } } = await harbor.request('GET', `/referrals?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: both });
      listed.push(...page.json.items.map((r) => r.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(listed.filter((id) => id === cross.json.id)).toHaveLength(1);
    expect(new Set(listed).size).toBe(listed.length);
    const okOnly = await harbor.request<{ items: ReferralBody[] }>('GET', '/referrals?limit=100', { token: who.otherCoordinator });
    expect(okOnly.json.items.map((r) => r.id)).toContain(cross.json.id);
  });

  it('refuses a crafted cursor that points into another partition', async () => {
    const crafted = Buffer.from(JSON.stringify({ p: 0, key: { gsi3pk: `REFERRAL#PROVIDER#${OTHER_PROVIDER}`, pk: 'x', sk: 'y', gsi3sk: 'z' } })).toString('base64url');
    const res = await harbor.request<{ error: { code: string } }>('GET', `/referrals?cursor=${crafted}`, { token: who.provider });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
  });
});
