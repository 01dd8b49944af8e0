import { Forbidden, Unauthenticated } from '../errors';
import type { Role } from './roles';
import { isRole } from './roles';

/** Who is asking, as read from the verified token's claims. */
export interface Actor {
  sub: string;
  role: Role;
  /** Provider staff: the provider they work for. */
  providerId?: string;
  /** Caseworkers: their agency. */
  agencyId?: string;
  /** Coordinators: the two-letter states they oversee. */
  jurisdiction: string[];
}

export type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway's JWT authorizer hands claims to the function as strings, and flattens an array
 * claim such as `cognito:groups` into `"[admin coordinator]"`; a token decoded locally may still
 * carry a real array. Both shapes are accepted so the same code path serves AWS and local.
 */
export function readGroups(value: Claims[string]): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        return (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        return [];
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
}

function optionalString(value: Claims[string]): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Builds the Actor from verified claims; a caller with no single known role is refused. */
export function actorFromClaims(claims: Claims | undefined): Actor {
  if (!claims || typeof claims.sub !== 'string' || claims.sub.length === 0) throw new Unauthenticated();
  const roles = readGroups(claims['cognito:groups']).filter(isRole);
  if (roles.length !== 1) {
    throw new Forbidden('Your account must belong to exactly one Harbor role (admin, coordinator, caseworker or provider).');
  }
  const role = roles[0]!;
  const actor: Actor = {
    sub: claims.sub,
    role,
    jurisdiction: (optionalString(claims['custom:jurisdiction']) ?? '')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter((s) => /^[A-Z]{2}$/.test(s)),
  };
  const providerId = optionalString(claims['custom:providerId']);
  const agencyId = optionalString(claims['custom:agencyId']);
  if (providerId) actor.providerId = providerId;
  if (agencyId) actor.agencyId = agencyId;
  // A claim set that cannot be scoped is refused rather than trusted with an empty scope.
  if (role === 'provider' && !actor.providerId) throw new Forbidden('Provider staff accounts need a custom:providerId claim.');
  if (role === 'caseworker' && !actor.agencyId) throw new Forbidden('Caseworker accounts need a custom:agencyId claim.');
  if (role === 'coordinator' && actor.jurisdiction.length === 0) {
    throw new Forbidden('Coordinator accounts need a custom:jurisdiction claim.');
  }
  return actor;
}
