/**
 * Local stand-in for Cognito and API Gateway's JWT authorizer.
 *
 * In AWS, Cognito issues ID tokens carrying `cognito:groups` and `custom:*` claims, and the HTTP
 * API's JWT authorizer verifies them and hands the Lambda the claims as strings. Locally, tokens
 * with the same claims are signed by a key kept in the data folder (ES256, created on first use),
 * and `verifyToken` returns the claims in exactly the authorizer's shape, so the handlers run the
 * same code path in both places.
 */
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { errors as joseErrors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Role } from '../shared/auth/roles';
import { REPO_ROOT } from './dynamodb-local';

export const LOCAL_ISSUER = 'harbor-local';
export const LOCAL_AUDIENCE = 'harbor-local';
const ALG = 'ES256';
const KEY_FILE = 'local-signing-key.json';

/** The folder holding local data: `HARBOR_DATA_DIR`, else `<repo>/.data`. */
export function resolveDataDir(dataDir?: string): string {
  return resolve(dataDir ?? process.env.HARBOR_DATA_DIR ?? join(REPO_ROOT, '.data'));
}

/** Who a local token speaks for, in Harbor's terms. */
export interface LocalIdentity {
  sub: string;
  role: Role;
  providerId?: string;
  agencyId?: string;
  /** Comma-separated two-letter state codes, e.g. `TX,OK`. */
  jurisdiction?: string;
}

/** Claims as they sit in the token (before the authorizer flattens them). */
export type TokenClaims = { sub: string } & Record<string, unknown>;

/** Claims as API Gateway's JWT authorizer hands them to a Lambda: every value a string. */
export type AuthorizerClaims = Record<string, string>;

/** Raised for any token the authorizer would refuse; the message says why. */
export class TokenRejected extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenRejected';
  }
}

/** The Cognito ID-token claims for an identity (`cognito:groups` is an array, as Cognito issues it). */
export function cognitoClaims(identity: LocalIdentity): TokenClaims {
  const claims: TokenClaims = {
    sub: identity.sub,
    'cognito:groups': [identity.role],
    'cognito:username': identity.sub,
    token_use: 'id',
    auth_time: Math.floor(Date.now() / 1000),
  };
  if (identity.providerId) claims['custom:providerId'] = identity.providerId;
  if (identity.agencyId) claims['custom:agencyId'] = identity.agencyId;
  if (identity.jurisdiction) claims['custom:jurisdiction'] = identity.jurisdiction;
  return claims;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const keys = new Map<string, Promise<SigningKey>>();

/**
 * The data folder's signing key, created on first use. Two processes may race to create it
 * (`npm start` and `npm run token`): the file is written exclusively, and the loser reads the
 * winner's key, so every token ever issued for a folder verifies against that folder's key.
 */
export function localSigningKey(dataDir?: string): Promise<SigningKey> {
  const dir = resolveDataDir(dataDir);
  let key = keys.get(dir);
  if (!key) {
    key = loadOrCreateKey(dir);
    keys.set(dir, key);
    key.catch(() => keys.delete(dir));
  }
  return key;
}

async function loadOrCreateKey(dir: string): Promise<SigningKey> {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk: JWK = { ...(await exportJWK(privateKey)), alg: ALG, use: 'sig', kid: randomUUID() };
    try {
      await writeFile(file, `${JSON.stringify(jwk, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readKey(file);
}

async function readKey(file: string, attempt = 0): Promise<SigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    // The other process's exclusive write may not have landed in full yet.
    if (attempt < 20) {
      await new Promise((r) => setTimeout(r, 50));
      return readKey(file, attempt + 1);
    }
    throw new Error(`The local signing key ${file} is unreadable; delete it to make a new one (old tokens stop working).`, { cause: error });
  }
  if (!jwk.d || !jwk.kid) throw new Error(`The local signing key ${file} is not a private JWK with a kid; delete it to make a new one.`);
  const { d: _d, ...publicJwk } = jwk;
  return {
    kid: jwk.kid,
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
  };
}

/** Forgets cached keys (tests that delete a data folder). */
export async function forgetSigningKey(dataDir?: string, options: { deleteFile?: boolean } = {}): Promise<void> {
  const dir = resolveDataDir(dataDir);
  keys.delete(dir);
  if (options.deleteFile) await rm(join(dir, KEY_FILE), { force: true });
}

/** Issues a token as Cognito would (issuer and audience `harbor-local`), signed by the data folder's key. */
export async function signToken(claims: TokenClaims, options: { dataDir?: string; expiresIn?: string | number } = {}): Promise<string> {
  const key = await localSigningKey(options.dataDir);
  const { sub, iss: _iss, aud: _aud, exp: _exp, iat: _iat, ...rest } = claims;
  return new SignJWT(rest as JWTPayload)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(key.privateKey);
}

/**
 * Verifies a token as the HTTP API's JWT authorizer does (signature, issuer, audience, expiry)
 * and returns its claims in the authorizer's shape. Throws `TokenRejected` otherwise.
 */
export async function verifyToken(token: string, options: { dataDir?: string } = {}): Promise<AuthorizerClaims> {
  const key = await localSigningKey(options.dataDir);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG] }));
  } catch (error) {
    throw new TokenRejected(rejectionReason(error), { cause: error });
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new TokenRejected('The token has no subject.');
  return toAuthorizerClaims(payload);
}

function rejectionReason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired; get a new one with `npm run token`.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token was not signed by this server\'s key.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not valid here.`;
  return 'The token is malformed or not signed by this server\'s key.';
}

/**
 * API Gateway's flattening: strings stay, numbers and booleans become their text, arrays become
 * `[a b]` (so `cognito:groups: ["admin"]` arrives as `"[admin]"`), objects `map[k:v]` (Go's
 * rendering, which is what API Gateway emits).
 */
export function toAuthorizerClaims(payload: Record<string, unknown>): AuthorizerClaims {
  const claims: AuthorizerClaims = {};
  for (const [name, value] of Object.entries(payload)) {
    const flat = flattenClaim(value);
    if (flat !== undefined) claims[name] = flat;
  }
  return claims;
}

function flattenClaim(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => flattenClaim(v) ?? '<nil>').join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${k}:${flattenClaim((value as Record<string, unknown>)[k]) ?? '<nil>'}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}
