/**
 * The match record must hold whatever a valid request can produce: a referral snapshots it, and a
 * match that cannot be stored is a match the caseworker never gets. The largest is a hundred
 * results, each explained against every need with a wraparound service named for each gap, with
 * names as long as the directory allows: far more than one DynamoDB item (400 KB) may hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanItems } from '../support/dynamodb';
import { createAs, placementBody, providerBody, serviceBody } from '../support/directory-fixtures';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface MatchBody {
  matchId: string;
  results: { placementId: string; reasons: string[]; summary: string; wraparound: unknown[] }[];
}

/** A name as long as the directory allows (200 characters), unique by its number. */
const longName = (what: string, i: number) => `${what} ${i} of the Greater Central Texas Regional Network for Youth, Families and Survivors`.padEnd(200, ' and Partners').slice(0, 200);

/** Every need that a service can stand in for, so every result names a service for each gap. */
const youth = {
  caseRef: 'TX-CPS-5100',
  age: 16,
  gender: 'female',
  location: { zip: '78701' },
  needs: ['csec_confirmed', 'csec_at_risk', 'labor_trafficking', 'substance_use', 'mental_health', 'pregnant', 'medical', 'education'],
  runRisk: 'high',
  languages: ['es', 'en', 'vi', 'fr', 'ar'],
  keepAway: Array.from({ length: 20 }, (_, i) => ({ lat: 45 + i / 100, lon: -120 + i / 100, radiusMiles: 1 })),
};
const CATEGORIES = ['csec_counseling', 'survivor_mentoring', 'trauma_therapy', 'legal_advocacy', 'substance_use_treatment', 'mental_health', 'family_therapy', 'case_management', 'medical', 'education'];
const PLACEMENTS = 110;

let h: Harbor;
let caseworker: string;

beforeAll(async () => {
  h = await startHarbor();
  const admin = await h.tokenFor({ role: 'admin', sub: 'record-admin' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'record-cw', agencyId: 'agency-travis' });
  const providerId = await createAs(h, admin, '/providers', providerBody({ name: 'Record Provider' }));
  for (let i = 0; i < PLACEMENTS; i++) {
    // No specialisations, so each of the youth's needs is a gap with a service named for it.
    await createAs(h, admin, '/placements', placementBody(providerId, { name: longName('Placement', i), specializations: [], traumaModels: [], exclusions: [] }));
  }
  for (const [i, category] of CATEGORIES.entries()) {
    await createAs(h, admin, '/services', serviceBody(providerId, { name: longName('Service', i), category, modality: 'in_person', waitDays: 20 }));
  }
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('the match record', () => {
  it('holds a hundred fully explained results, and a referral can snapshot the hundredth', async () => {
    const res = await h.request<MatchBody>('POST', '/matches', {
      token: caseworker,
      body: { youth, options: { limit: 100, includeFull: true, excludedLimit: 200 } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength(100);
    // What the record must hold is well beyond one item's 400 KB.
    expect(Buffer.byteLength(JSON.stringify(res.json.results))).toBeGreaterThan(600_000);

    const last = res.json.results[99]!;
    const created = await h.request<{ id: string }>('POST', '/referrals', {
      token: caseworker,
      body: { placementId: last.placementId, youth, matchId: res.json.matchId },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(created.status, created.text).toBe(201);
    const referral = await h.request<{ youth: { match: Record<string, unknown> } }>('GET', `/referrals/${created.json.id}`, { token: caseworker });
    expect(referral.json.youth.match).toMatchObject({ matchId: res.json.matchId, rank: 100, reasons: last.reasons, summary: last.summary, wraparound: last.wraparound });
  });

  it('is deleted by the TTL with every part of it: each item under the match carries the same TTL', async () => {
    const res = await h.request<MatchBody>('POST', '/matches', { token: caseworker, body: { youth, options: { limit: 100, includeFull: true } } });
    expect(res.status, res.text).toBe(200);
    const items = await scanItems(h.doc, h.tableName, `MATCH#${res.json.matchId}`);
    expect(items.length).toBeGreaterThan(1);
    expect(new Set(items.map((i) => i.ttl)).size).toBe(1);
    expect(items[0]!.ttl).toEqual(expect.any(Number));
  });
});
