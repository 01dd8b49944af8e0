import { describe, expect, it } from 'vitest';
import { Forbidden, Unauthenticated } from '../errors';
import { actorFromClaims, readGroups } from './actor';

describe('claims', () => {
  it('reads cognito:groups in the flattened form API Gateway hands a Lambda, and as a real array', () => {
    expect(readGroups('[admin]')).toEqual(['admin']);
    expect(readGroups('[admin coordinator]')).toEqual(['admin', 'coordinator']);
    expect(readGroups('["caseworker"]')).toEqual(['caseworker']);
    expect(readGroups(['provider'])).toEqual(['provider']);
    expect(readGroups(undefined)).toEqual([]);
  });

  it('builds a scoped actor per role', () => {
    expect(actorFromClaims({ sub: 'u1', 'cognito:groups': '[coordinator]', 'custom:jurisdiction': 'tx, OK' })).toEqual({
      sub: 'u1',
      role: 'coordinator',
      jurisdiction: ['TX', 'OK'],
    });
    expect(actorFromClaims({ sub: 'u2', 'cognito:groups': '[provider]', 'custom:providerId': 'p1' })).toMatchObject({ role: 'provider', providerId: 'p1' });
  });

  it('refuses a token without a subject, without exactly one role, or without the scope its role needs', () => {
    expect(() => actorFromClaims(undefined)).toThrow(Unauthenticated);
    expect(() => actorFromClaims({ 'cognito:groups': '[admin]' })).toThrow(Unauthenticated);
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[]' })).toThrow(Forbidden);
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[admin provider]', 'custom:providerId': 'p' })).toThrow(Forbidden);
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[superuser]' })).toThrow(Forbidden);
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[provider]' })).toThrow(Forbidden);
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[caseworker]' })).toThrow(Forbidden);
    expect(() => actorFromClaims({ sub: 'u', 'cognito:groups': '[coordinator]', 'custom:jurisdiction': 'Texas' })).toThrow(Forbidden);
  });
});
