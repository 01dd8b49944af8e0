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
