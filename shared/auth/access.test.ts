import { describe, expect, it } from 'vitest';
import { Forbidden } from '../errors';
import type { Actor } from './actor';
import { assertCanManage, assertCanReadCapacityHistory, assertCanReadProvider, canSeeCapacity, canSeeConfidentialLocation } from './access';

const admin: Actor = { sub: 'a', role: 'admin', jurisdiction: [] };
const coordinatorTX: Actor = { sub: 'c', role: 'coordinator', jurisdiction: ['TX'] };
const caseworker: Actor = { sub: 'w', role: 'caseworker', agencyId: 'agency-1', jurisdiction: [] };
const staffOfP1: Actor = { sub: 's', role: 'provider', providerId: 'p1', jurisdiction: [] };
const staffOfP2: Actor = { sub: 't', role: 'provider', providerId: 'p2', jurisdiction: [] };

describe('object-level access', () => {
  it.each([
    [admin, true],
    [staffOfP1, true],
    [staffOfP2, false],
    [coordinatorTX, false],
    [caseworker, false],
  ] as const)('manage p1 as %o → %s', (actor, allowed) => {
    if (allowed) expect(() => assertCanManage(actor, 'p1')).not.toThrow();
    else expect(() => assertCanManage(actor, 'p1')).toThrow(Forbidden);
  });

  it.each([
    [admin, true],
    [coordinatorTX, true],
    [staffOfP1, true],
    [staffOfP2, false],
    [caseworker, false],
  ] as const)('read provider p1 as %o → %s', (actor, allowed) => {
    if (allowed) expect(() => assertCanReadProvider(actor, 'p1')).not.toThrow();
    else expect(() => assertCanReadProvider(actor, 'p1')).toThrow(Forbidden);
  });

  it('a safe house address goes to admins, coordinators and the owner only', () => {
    expect([admin, coordinatorTX, staffOfP1, staffOfP2, caseworker].map((a) => canSeeConfidentialLocation(a, 'p1'))).toEqual([true, true, true, false, false]);
  });

  it("another provider's staff never see a placement's live counts", () => {
    expect([admin, coordinatorTX, staffOfP1, staffOfP2, caseworker].map((a) => canSeeCapacity(a, 'p1'))).toEqual([true, true, true, false, true]);
  });

  it('capacity history: coordinators only within their jurisdiction', () => {
    const inTexas = { providerId: 'p1', location: { state: 'TX' } };
    const inOklahoma = { providerId: 'p1', location: { state: 'OK' } };
    expect(() => assertCanReadCapacityHistory(coordinatorTX, inTexas)).not.toThrow();
    expect(() => assertCanReadCapacityHistory(coordinatorTX, inOklahoma)).toThrow(Forbidden);
    expect(() => assertCanReadCapacityHistory(staffOfP1, inOklahoma)).not.toThrow();
    expect(() => assertCanReadCapacityHistory(staffOfP2, inTexas)).toThrow(Forbidden);
    expect(() => assertCanReadCapacityHistory(caseworker, inTexas)).toThrow(Forbidden);
  });
});
