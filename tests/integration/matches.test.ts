/**
 * POST /matches over the demo directory, through the local server: ranked, explained results,
 * who may ask, what is stored (with its TTL), what is never returned, and bad youth input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanItems } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface MatchResult {
  placementId: string;
  name: string;
  score: number;
  components: Record<string, number>;
  reasons: string[];
  summary: string;
  available: number;
  freshness: string;
  distanceMiles: number;
  wraparound: { need: string; serviceId: string; name: string }[];
  location: { city: string; state: string; confidential: boolean; address?: string; lat?: number; lon?: number; zip?: string };
}
interface MatchBody {
  matchId: string;
  policyVersion: number;
  expiresAt: string;
  results: MatchResult[];
  excluded?: { placementId: string; rules: string[]; whatWouldChange: string }[];
  counts: { candidates: number; eligible: number; returned: number; excluded: number };
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

/** A 15-year-old girl in Austin, confirmed CSEC, high run risk, Spanish first, kept away from San Antonio. */
const girl = {
  caseRef: 'TX-CPS-0042117',
  age: 15,
  gender: 'female',
  location: { zip: '78701' },
  needs: ['csec_confirmed', 'substance_use'],
  runRisk: 'high',
  languages: ['es', 'en'],
  keepAway: [{ lat: 29.4241, lon: -98.4936, radiusMiles: 25 }],
  preferences: { maxDistanceMiles: 300 },
};

let h: Harbor;
let caseworker: string;
let coordinator: string;
let admin: string;
let provider: string;

beforeAll(async () => {
  h = await startHarbor({ seed: true });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'demo-cal', agencyId: 'agency-travis-cps' });
  coordinator = await h.tokenFor({ role: 'coordinator', sub: 'demo-cora', jurisdiction: 'TX' });
  admin = await h.tokenFor({ role: 'admin', sub: 'demo-ada' });
  provider = await h.tokenFor({ role: 'provider', sub: 'demo-finn', providerId: 'prv-0001' });
});

afterAll(async () => {
  await h?.close();
});

const match = (token: string, youth: unknown, options: Record<string, unknown> = {}) =>
  h.request<MatchBody>('POST', '/matches', { token, body: { youth, options } });

const snapshot = async () => JSON.stringify((await scanItems(h.doc, h.tableName)).map((i) => `${i.pk as string}|${i.sk as string}`).sort());

describe('POST /matches over the demo directory', () => {
  it('ranks explained placements for a caseworker, best first, each with its parts and reasons', async () => {
    const res = await match(caseworker, girl, { limit: 10 });
    expect(res.status, res.text).toBe(200);
    const body = res.json;
    expect(body.matchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.policyVersion).toBe(1);
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.length).toBeLessThanOrEqual(10);
    expect(body.counts.candidates).toBeGreaterThan(body.counts.returned);
    for (let i = 1; i < body.results.length; i++) expect(body.results[i - 1]!.score).toBeGreaterThanOrEqual(body.results[i]!.score);
    for (const r of body.results) {
      expect(Object.keys(r.components).sort()).toEqual(['distance', 'freshness', 'language', 'needs', 'runRisk', 'specialization', 'wraparound']);
      expect(r.reasons.length).toBeGreaterThan(2);
      expect(r.reasons.every((s) => /^[A-Z0-9].*\.$/.test(s))).toBe(true);
      expect(r.available).toBeGreaterThan(0);
      expect(r.distanceMiles).toBeLessThanOrEqual(300);
      expect(['fresh', 'aging', 'stale', 'unknown']).toContain(r.freshness);
    }
    // The best result for a confirmed CSEC survivor in the demo directory is CSEC-specialised.
    expect(body.results[0]!.summary).toMatch(/^CSEC-specialised staff/);
    // Excluded programs each say why and what would change it.
    expect(body.excluded!.length).toBeGreaterThan(0);
    for (const x of body.excluded!) {
      expect(x.rules.length).toBeGreaterThan(0);
      expect(x.whatWouldChange.length).toBeGreaterThan(5);
    }
    // Nothing in San Antonio (inside her keep-away area) is offered.
    expect(body.results.some((r) => r.location.city === 'San Antonio')).toBe(false);
  });

  it('gives the same answer to the same request', async () => {
    const a = await match(caseworker, girl);
    const b = await match(caseworker, girl);
    const strip = (m: MatchBody) => m.results.map((r) => [r.placementId, r.score, r.reasons]);
    expect(a.json.matchId).not.toBe(b.json.matchId);
    expect(strip(a.json)).toEqual(strip(b.json));
  });

  it('never returns the youth’s location or keep-away areas, and hides safe-house addresses from caseworkers', async () => {
    // Odd decimals, so no placement or service in the directory shares them by chance.
    const private_ = { ...girl, needs: ['csec_confirmed'], location: { lat: 30.26153, lon: -97.74417 }, keepAway: [{ lat: 29.41137, lon: -98.48291, radiusMiles: 5 }] };
    const asCaseworker = await match(caseworker, private_, { limit: 50 });
    expect(asCaseworker.status).toBe(200);
    const text = JSON.stringify(asCaseworker.json);
    for (const secret of ['30.26153', '-97.74417', '29.41137', '-98.48291', 'TX-CPS-0042117']) expect(text).not.toContain(secret);
    const safeHouses = asCaseworker.json.results.filter((r) => r.location.confidential);
    for (const r of safeHouses) {
      expect(Object.keys(r.location).sort()).toEqual(expect.arrayContaining(['city', 'state']));
      expect(r.location).not.toHaveProperty('address');
      expect(r.location).not.toHaveProperty('lat');
      expect(r.location).not.toHaveProperty('zip');
    }
    // A coordinator asking the same gets the safe houses' addresses (admins and coordinators may).
    const asCoordinator = await match(coordinator, private_, { limit: 50 });
    const coordinatorSafeHouses = asCoordinator.json.results.filter((r) => r.location.confidential);
    expect(coordinatorSafeHouses.length).toBe(safeHouses.length);
    for (const r of coordinatorSafeHouses) expect(r.location).toHaveProperty('lat');
  });

  it('stores the match (inputs and results) with a TTL after the retention period, and audits it without the youth', async () => {
    const res = await match(coordinator, girl);
    const items = await scanItems(h.doc, h.tableName, `MATCH#${res.json.matchId}`);
    const stored = items.find((i) => i.sk === 'MATCH')!;
    const parts = items.filter((i) => i.sk !== 'MATCH');
    const ttl = stored.ttl as number;
    expect(ttl).toBe(Math.floor(Date.parse(res.json.expiresAt) / 1000));
    expect(ttl * 1000 - Date.now()).toBeGreaterThan(71 * 3_600_000);
    expect(ttl * 1000 - Date.now()).toBeLessThan(73 * 3_600_000);
    expect(stored).toMatchObject({ createdBy: 'demo-cora', createdByRole: 'coordinator', jurisdiction: ['TX'], policyVersion: 1, youthState: 'TX' });
    expect((stored.inputs as { youth: { keepAway: unknown[] } }).youth.keepAway).toHaveLength(1);
    expect(parts.flatMap((p) => p.results as unknown[]).length).toBe(res.json.results.length);
    expect(parts.every((p) => p.ttl === ttl)).toBe(true);
    const audits = (await scanItems(h.doc, h.tableName, 'AUDIT#')).filter((a) => a.targetId === res.json.matchId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'match.create', actor: 'demo-cora' });
    expect(JSON.stringify(audits[0])).not.toMatch(/78701|29\.4241|TX-CPS/);
  });
});

describe('who may ask for matches', () => {
  it('caseworkers, coordinators and admins may; provider staff are refused and nothing is written', async () => {
    for (const token of [caseworker, coordinator, admin]) expect((await match(token, girl, { limit: 1 })).status).toBe(200);
    const before = await snapshot();
    const refused = await h.request<ErrorBody>('POST', '/matches', { token: provider, body: { youth: girl } });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('78701');
    expect(await snapshot()).toBe(before);
    expect((await h.request('POST', '/matches', { body: { youth: girl } })).status).toBe(401);
  });
});

describe('bad youth input is a 400 naming the field, and nothing is written', () => {
  const refused = async (youth: unknown, field: string, message?: RegExp, options?: unknown) => {
    const before = await snapshot();
    const res = await h.request<ErrorBody>('POST', '/matches', { token: caseworker, body: { youth, ...(options ? { options } : {}) } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
    expect(res.json.error.fields?.map((f) => f.path), res.text).toContain(field);
    if (message) expect(res.json.error.message).toMatch(message);
    expect(await snapshot()).toBe(before);
  };

  it('identifying fields: the youth must not be identifiable', async () => {
    await refused({ ...girl, firstName: 'Maria' }, 'youth.firstName', /must not be identifiable/);
    await refused({ ...girl, dateOfBirth: '2010-04-12' }, 'youth.dateOfBirth', /must not be identifiable/);
    await refused({ ...girl, location: { zip: '78701', street: '12 Elm St' } }, 'youth.location.street', /must not be identifiable/);
    await refused({ ...girl, caseRef: 'Maria Lopez' }, 'youth.caseRef');
  });

  it('unknown fields and wrong types', async () => {
    await refused({ ...girl, favouriteColour: 'blue' }, 'youth.favouriteColour');
    await refused({ ...girl, age: 'fifteen' }, 'youth.age');
    await refused({ ...girl, needs: 'csec_confirmed' }, 'youth.needs');
    await refused({ ...girl, location: { zip: '99999' } }, 'youth.location.zip');
    await refused(girl, 'options.limit', undefined, { limit: 500 });
    await refused(girl, 'options.sortBy', undefined, { sortBy: 'name' });
  });
});
