/**
 * `npm run token -- --role <role> [--provider <id>] [--agency <id>] [--jurisdiction TX,OK] [--sub <id>]`
 * `npm run token -- --demo <name>`
 *
 * Prints a bearer token the local server accepts, and nothing else on stdout, so
 * `TOKEN=$(npm run -s token -- --demo alice)` works. The token is signed with the data folder's
 * key (`HARBOR_DATA_DIR`, default `.data/`), so use the same folder as `npm start`.
 */
import { parseArgs } from 'node:util';
import type { Role } from '../shared/auth/roles';
import { isRole, ROLES } from '../shared/auth/roles';
import type { LocalIdentity } from './local-auth';
import { cognitoClaims, signToken } from './local-auth';
import { DEMO_USERS } from './seed/demo-users';
import { runIfMain } from './cli';

const USAGE = `Usage:
  npm run -s token -- --demo <name>
  npm run -s token -- --role <${ROLES.join('|')}> [--provider <id>] [--agency <id>] [--jurisdiction TX,OK] [--sub <id>]
Options:
  --expires-in <span>   token lifetime, e.g. 12h (default), 30m, 7d
Demo users: ${Object.keys(DEMO_USERS).join(', ') || '(none yet)'}`;

/** A mistake in the arguments; the message is shown with the usage. */
export class TokenArgsError extends Error {
  override name = 'TokenArgsError';
}

/** What each role must (and must not) be given: the claims `actorFromClaims` insists on. */
const SCOPE_FLAGS: Record<Role, { requires?: 'provider' | 'agency' | 'jurisdiction' }> = {
  admin: {},
  coordinator: { requires: 'jurisdiction' },
  caseworker: { requires: 'agency' },
  provider: { requires: 'provider' },
};

/** Parses the command line into the identity to sign for; throws TokenArgsError with a clear message. */
export function parseTokenArgs(argv: string[]): { identity: LocalIdentity; expiresIn: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        provider: { type: 'string' },
        agency: { type: 'string' },
        jurisdiction: { type: 'string' },
        sub: { type: 'string' },
        demo: { type: 'string' },
        'expires-in': { type: 'string', default: '12h' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new TokenArgsError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) throw new TokenArgsError('');
  const expiresIn = v['expires-in'] ?? '12h';
  if (!/^\d+\s*(s|m|h|d|w)$/.test(expiresIn)) throw new TokenArgsError(`--expires-in must look like 30m, 12h or 7d, not "${expiresIn}".`);

  if (v.demo !== undefined) {
    const extra = (['role', 'provider', 'agency', 'jurisdiction', 'sub'] as const).filter((k) => v[k] !== undefined);
    if (extra.length > 0) throw new TokenArgsError(`--demo takes no other identity flags (got --${extra.join(', --')}).`);
    const user = DEMO_USERS[v.demo];
    if (!user) {
      throw new TokenArgsError(`There is no demo user "${v.demo}". Demo users: ${Object.keys(DEMO_USERS).join(', ') || '(none yet)'}.`);
    }
    const identity: LocalIdentity = { sub: user.sub, role: user.role };
    if (user.providerId) identity.providerId = user.providerId;
    if (user.agencyId) identity.agencyId = user.agencyId;
    if (user.jurisdiction) identity.jurisdiction = user.jurisdiction;
    return { identity, expiresIn };
  }

  if (v.role === undefined) throw new TokenArgsError('Give --role <role> or --demo <name>.');
  if (!isRole(v.role)) throw new TokenArgsError(`Unknown role "${v.role}"; the roles are ${ROLES.join(', ')}.`);
  const role = v.role;
  const required = SCOPE_FLAGS[role].requires;
  for (const flag of ['provider', 'agency', 'jurisdiction'] as const) {
    const value = v[flag];
    if (flag === required && (value === undefined || value.trim() === '')) {
      throw new TokenArgsError(`--role ${role} needs --${flag} <${flag === 'jurisdiction' ? 'TX,OK' : 'id'}>.`);
    }
    if (flag !== required && value !== undefined) throw new TokenArgsError(`--${flag} does not apply to --role ${role}.`);
  }

  const identity: LocalIdentity = { sub: '', role };
  if (role === 'provider') identity.providerId = v.provider!.trim();
  if (role === 'caseworker') identity.agencyId = v.agency!.trim();
  if (role === 'coordinator') {
    const states = v
      .jurisdiction!.split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const bad = states.filter((s) => !/^[A-Z]{2}$/.test(s));
    if (states.length === 0 || bad.length > 0) {
      throw new TokenArgsError(`--jurisdiction takes two-letter state codes separated by commas, e.g. TX,OK (bad: ${bad.join(', ') || 'empty'}).`);
    }
    identity.jurisdiction = states.join(',');
  }
  const scope = identity.providerId ?? identity.agencyId ?? identity.jurisdiction?.replace(/,/g, '-') ?? 'user';
  identity.sub = v.sub?.trim() || `local-${role}-${scope}`.toLowerCase();
  return { identity, expiresIn };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseTokenArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof TokenArgsError) {
      process.stderr.write(`${error.message ? `${error.message}\n\n` : ''}${USAGE}\n`);
      process.exit(error.message ? 2 : 0);
    }
    throw error;
  }
  const token = await signToken(cognitoClaims(args.identity), { expiresIn: args.expiresIn });
  process.stdout.write(`${token}\n`);
}

runIfMain(import.meta.url, main);
