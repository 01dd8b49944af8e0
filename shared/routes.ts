import type { Role } from './auth/roles';
import { ROLES } from './auth/roles';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP route: the CDK API stack makes one Lambda per entry (entry `functions/<fn>/handler.ts`,
 * export `handler`), and the local server routes to the same module. `roles` is the coarse gate
 * checked before any handler code runs; object-level checks live in the handlers.
 */
export interface RouteDef {
  method: HttpMethod;
  /** API Gateway path syntax: `/placements/{id}`. */
  path: string;
  /** Folder under functions/: the Lambda's name in the domain. */
  fn: string;
  /** Who may call it at all; `public` only for /health. */
  roles: readonly Role[] | 'public';
  /** Read-only routes get read-only IAM grants on the table. */
  access: 'read' | 'write';
  /** Publishes referral events: only these functions get events:PutEvents and the bus name. */
  publishesEvents?: boolean;
}

const ANY_ROLE = ROLES;

export const ROUTES = [
  { method: 'GET', path: '/health', fn: 'health', roles: 'public', access: 'read' },
  { method: 'GET', path: '/openapi.json', fn: 'get-openapi', roles: ANY_ROLE, access: 'read' },

  { method: 'POST', path: '/providers', fn: 'create-provider', roles: ['admin'], access: 'write' },
  { method: 'GET', path: '/providers', fn: 'list-providers', roles: ['admin', 'coordinator', 'provider'], access: 'read' },
  { method: 'GET', path: '/providers/{id}', fn: 'get-provider', roles: ['admin', 'coordinator', 'provider'], access: 'read' },
  { method: 'PATCH', path: '/providers/{id}', fn: 'update-provider', roles: ['admin', 'provider'], access: 'write' },

  { method: 'POST', path: '/placements', fn: 'create-placement', roles: ['admin', 'provider'], access: 'write' },
  { method: 'GET', path: '/placements', fn: 'search-placements', roles: ANY_ROLE, access: 'read' },
  { method: 'GET', path: '/placements/{id}', fn: 'get-placement', roles: ANY_ROLE, access: 'read' },
  { method: 'PATCH', path: '/placements/{id}', fn: 'update-placement', roles: ['admin', 'provider'], access: 'write' },
  { method: 'PUT', path: '/placements/{id}/capacity', fn: 'update-capacity', roles: ['admin', 'provider'], access: 'write' },
  { method: 'POST', path: '/placements/{id}/capacity/confirm', fn: 'confirm-capacity', roles: ['admin', 'provider'], access: 'write' },
  { method: 'GET', path: '/placements/{id}/capacity/history', fn: 'get-capacity-history', roles: ['admin', 'coordinator', 'provider'], access: 'read' },

  { method: 'POST', path: '/services', fn: 'create-service', roles: ['admin', 'provider'], access: 'write' },
  { method: 'GET', path: '/services', fn: 'search-services', roles: ANY_ROLE, access: 'read' },
  { method: 'GET', path: '/services/{id}', fn: 'get-service', roles: ANY_ROLE, access: 'read' },
  { method: 'PATCH', path: '/services/{id}', fn: 'update-service', roles: ['admin', 'provider'], access: 'write' },

  { method: 'GET', path: '/audit', fn: 'list-audit', roles: ['admin'], access: 'read' },

  { method: 'POST', path: '/matches', fn: 'create-match', roles: ['coordinator', 'caseworker', 'admin'], access: 'write' },
  { method: 'GET', path: '/policy', fn: 'get-policy', roles: ['admin', 'coordinator'], access: 'read' },
  { method: 'PUT', path: '/policy', fn: 'update-policy', roles: ['admin'], access: 'write' },
  { method: 'GET', path: '/capacity-requests', fn: 'list-capacity-requests', roles: ['provider', 'admin'], access: 'read' },
  { method: 'GET', path: '/capacity/stale', fn: 'list-stale-placements', roles: ['coordinator', 'admin'], access: 'read' },
  { method: 'GET', path: '/reports/unmet-demand', fn: 'get-unmet-demand', roles: ['coordinator', 'admin'], access: 'read' },
  { method: 'POST', path: '/referrals', fn: 'create-referral', roles: ['caseworker', 'coordinator'], access: 'write', publishesEvents: true },
  { method: 'GET', path: '/referrals', fn: 'list-referrals', roles: ANY_ROLE, access: 'read' },
  // A write: every read of a referral's youth details leaves an audit record.
  { method: 'GET', path: '/referrals/{id}', fn: 'get-referral', roles: ANY_ROLE, access: 'write' },
  { method: 'POST', path: '/referrals/{id}/accept', fn: 'accept-referral', roles: ['provider'], access: 'write', publishesEvents: true },
  { method: 'POST', path: '/referrals/{id}/decline', fn: 'decline-referral', roles: ['provider'], access: 'write', publishesEvents: true },
  { method: 'POST', path: '/referrals/{id}/withdraw', fn: 'withdraw-referral', roles: ['caseworker', 'coordinator'], access: 'write', publishesEvents: true },
  { method: 'POST', path: '/referrals/{id}/place', fn: 'place-referral', roles: ['provider'], access: 'write', publishesEvents: true },
] as const satisfies readonly RouteDef[];

export type RouteFn = (typeof ROUTES)[number]['fn'];

export function routeByFn(fn: RouteFn): RouteDef {
  const route = ROUTES.find((r) => r.fn === fn);
  if (!route) throw new Error(`No route for function ${fn}`);
  return route;
}

/** `/placements/{id}` → matcher; used by the local server and by tests. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    const actual = p[i]!;
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (actual === '') return undefined;
      params[seg.slice(1, -1)] = decodeURIComponent(actual);
    } else if (seg !== actual) {
      return undefined;
    }
  }
  return params;
}
