/**
 * What a match sets in motion, through the local server: stale counts chased (confirmation
 * requests listed by providers and cleared by confirming or updating), stale counts listed for
 * coordinators, unmet demand recorded and reported, and the policy read, changed (If-Match,
 * audited) and applied.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../shared/data/client';
import { getPlacement, placementItem } from '../../shared/data/placements';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { createAs, placementBody, providerBody } from '../support/directory-fixtures';
import { scanItems } from '../support/dynamodb';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';

interface MatchBody {
  matchId: string;
  policyVersion: number;
  expiresAt: string;
  results: { placementId: string; freshness: string; reasons: string[] }[];
  excluded: { placementId: string; rules: string[]; whatWouldChange: string }[];
  counts: { confirmationRequestsOpened: number; eligibleWithOpenBed: number };
  unmetDemandRecorded: boolean;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface RequestItem {
  placementId: string;
  placementName: string;
  freshness: string;
  currentFreshness: string;
}
interface StaleItem {
  placementId: string;
  capacity: { freshness: string };
  confirmationRequested: boolean;
}

let h: Harbor;
let admin: string;
let caseworker: string;
let coordinatorTX: string;
let coordinatorOK: string;
let staff1: string;
let staff2: string;
const ids = { p1: '', p2: '', stale: '', fresh: '', neverCounted: '' };

const girl = { caseRef: 'TX-CPS-7001', age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_confirmed'], runRisk: 'high' };
const match = (youth: unknown = girl, token = caseworker) => h.request<MatchBody>('POST', '/matches', { token, body: { youth } });

beforeAll(async () => {
  h = await startHarbor();
  admin = await h.tokenFor({ role: 'admin', sub: 'wf-admin' });
  caseworker = await h.tokenFor({ role: 'caseworker', sub: 'wf-cw', agencyId: 'agency-travis' });
  coordinatorTX = await h.tokenFor({ role: 'coordinator', sub: 'wf-coord-tx', jurisdiction: 'TX' });
  coordinatorOK = await h.tokenFor({ role: 'coordinator', sub: 'wf-coord-ok', jurisdiction: 'OK' });
  const create = (path: string, body: unknown) => createAs(h, admin, path, body);
  ids.p1 = await create('/providers', providerBody({ name: 'Workflow One' }));
  ids.p2 = await create('/providers', providerBody({ name: 'Workflow Two' }));
  ids.stale = await create('/placements', placementBody(ids.p1, { name: 'Stale Count House' }));
  ids.fresh = await create('/placements', placementBody(ids.p1, { name: 'Fresh Count House', location: { city: 'Austin', county: 'Travis', state: 'TX', zip: '78702' } }));
  const { capacity: _none, ...noCapacity } = placementBody(ids.p2, { name: 'Never Counted House', location: { city: 'Austin', county: 'Travis', state: 'TX', zip: '78704' } });
  ids.neverCounted = await create('/placements', noCapacity);
  // Age one count by two days, as if its provider had not touched it since.
  const stale = (await getPlacement(ids.stale, { consistent: true }))!;
  const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000).toISOString();
  await h.doc.send(new PutCommand({ TableName: h.tableName, Item: placementItem({ ...stale, capacity: { ...stale.capacity, updatedAt: twoDaysAgo } }) }));
  staff1 = await h.tokenFor({ role: 'provider', sub: 'wf-staff-1', providerId: ids.p1 });
  staff2 = await h.tokenFor({ role: 'provider', sub: 'wf-staff-2', providerId: ids.p2 });
});

afterAll(async () => {
  await h?.close();
});

describe('stale counts get chased', () => {
  it('a match that could not be stored asks no provider to confirm anything', async () => {
    // The match's own write fails (a fault DynamoDB Local never raises on its own); the local
    // server runs in this process, so its client is the one spied on.
    const client = documentClient();
    const send = client.send.bind(client);
    const spy = vi.spyOn(client, 'send').mockImplementation(((command: { input?: { TransactItems?: { Put?: { Item?: { pk?: unknown } } }[] } }) => {
      const storesAMatch = command.input?.TransactItems?.some((t) => String(t.Put?.Item?.pk).startsWith('MATCH#'));
      return storesAMatch ? Promise.reject(Object.assign(new Error('injected'), { name: 'InternalServerError' })) : send(command as never);
    }) as never);
    try {
      const failed = await match();
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      spy.mockRestore();
    }
    // Requests opened beside the failed write would land after the 500: give them time to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await scanItems(h.doc, h.tableName, 'CAPREQ#')).toEqual([]);
    expect((await scanItems(h.doc, h.tableName, 'AUDIT#')).filter((a) => a.action === 'capacity_request.open')).toEqual([]);
  });

  it('a match relying on a stale count, or ruling a never-counted program full, asks their providers to confirm — once', async () => {
    const first = await match();
    expect(first.status, first.text).toBe(200);
    const stale = first.json.results.find((r) => r.placementId === ids.stale);
    expect(stale?.freshness).toBe('stale');
    expect(stale?.reasons.join(' ')).toContain('(stale); call to check');
    expect(first.json.results.find((r) => r.placementId === ids.fresh)?.freshness).toBe('fresh');
    const never = first.json.excluded.find((x) => x.placementId === ids.neverCounted);
    expect(never?.rules).toEqual(['no_bed_available']);
    expect(never?.whatWouldChange).toBe('No open bed on record: the count was never reported, so a call may find one');
    expect(first.json.counts.confirmationRequestsOpened).toBe(2);

    // A second match while the requests are open opens no duplicates.
    const second = await match();
    expect(second.json.counts.confirmationRequestsOpened).toBe(0);
    expect(await scanItems(h.doc, h.tableName, 'CAPREQ#')).toHaveLength(2);
    const audits = (await scanItems(h.doc, h.tableName, 'AUDIT#')).filter((a) => a.action === 'capacity_request.open');
    expect(audits.map((a) => a.targetId).sort()).toEqual([ids.stale, ids.neverCounted].sort());
  });

  it('provider staff list their own requests; others may not', async () => {
    const own = await h.request<Page<RequestItem>>('GET', '/capacity-requests', { token: staff1 });
    expect(own.status, own.text).toBe(200);
    expect(own.json.items.map((r) => r.placementId)).toEqual([ids.stale]);
    expect(own.json.items[0]).toMatchObject({ placementName: 'Stale Count House', freshness: 'stale', currentFreshness: 'stale' });
    expect((await h.request<Page<RequestItem>>('GET', '/capacity-requests', { token: staff2 })).json.items.map((r) => r.placementId)).toEqual([ids.neverCounted]);
    expect((await h.request('GET', `/capacity-requests?providerId=${ids.p2}`, { token: staff1 })).status).toBe(403);
    expect((await h.request('GET', '/capacity-requests', { token: admin })).status).toBe(400);
    expect((await h.request<Page<RequestItem>>('GET', `/capacity-requests?providerId=${ids.p1}`, { token: admin })).json.items).toHaveLength(1);
    for (const token of [caseworker, coordinatorTX]) expect((await h.request('GET', '/capacity-requests', { token })).status).toBe(403);
  });

  it('coordinators list the stale counts of their own states', async () => {
    const tx = await h.request<Page<StaleItem>>('GET', '/capacity/stale', { token: coordinatorTX });
    expect(tx.status, tx.text).toBe(200);
    const byId = new Map(tx.json.items.map((i) => [i.placementId, i]));
    expect(byId.get(ids.stale)).toMatchObject({ capacity: { freshness: 'stale' }, confirmationRequested: true });
    expect(byId.get(ids.neverCounted)).toMatchObject({ capacity: { freshness: 'unknown' }, confirmationRequested: true });
    expect(byId.has(ids.fresh)).toBe(false);
    expect((await h.request<Page<StaleItem>>('GET', '/capacity/stale', { token: coordinatorOK })).json.items).toEqual([]);
    expect((await h.request('GET', '/capacity/stale?state=TX', { token: coordinatorOK })).status).toBe(403);
    expect((await h.request('GET', '/capacity/stale', { token: admin })).status).toBe(400);
    expect((await h.request<Page<StaleItem>>('GET', '/capacity/stale?state=TX&freshness=unknown', { token: admin })).json.items.map((i) => i.placementId)).toEqual([ids.neverCounted]);
    for (const token of [caseworker, staff1]) expect((await h.request('GET', '/capacity/stale', { token })).status).toBe(403);
  });

  it('confirming the count clears the request; so does updating it', async () => {
    const openRequestItems = async () => (await scanItems(h.doc, h.tableName, 'CAPREQ#')).map((i) => i.placementId);
    expect(await openRequestItems()).toEqual(expect.arrayContaining([ids.stale, ids.neverCounted]));
    const confirmed = await h.request('POST', `/placements/${ids.stale}/capacity/confirm`, { token: staff1 });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect((await h.request<Page<RequestItem>>('GET', '/capacity-requests', { token: staff1 })).json.items).toEqual([]);

    const updated = await h.request('PUT', `/placements/${ids.neverCounted}/capacity`, { token: staff2, body: { total: 2, occupied: 1 }, headers: { 'if-match': '1' } });
    expect(updated.status, updated.text).toBe(200);
    expect((await h.request<Page<RequestItem>>('GET', '/capacity-requests', { token: staff2 })).json.items).toEqual([]);
    // Not just hidden: each answer deleted its request in the same transaction as the count.
    expect(await openRequestItems()).not.toContain(ids.stale);
    expect(await openRequestItems()).not.toContain(ids.neverCounted);

    const tx = await h.request<Page<StaleItem>>('GET', '/capacity/stale', { token: coordinatorTX });
    expect(tx.json.items).toEqual([]);
    // Both counts are fresh now: the next match asks nobody, and the once-uncounted home has a bed.
    const next = await match();
    expect(next.json.counts.confirmationRequestsOpened).toBe(0);
    expect(next.json.results.map((r) => r.placementId)).toContain(ids.neverCounted);
  });
});

describe('unmet demand', () => {
  const father = { caseRef: 'TX-CPS-7002', age: 19, gender: 'male', location: { zip: '79901' }, needs: ['parenting'], preferences: { maxDistanceMiles: 30 } };

  it('a match with nowhere to go records a de-identified entry', async () => {
    const res = await match(father);
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toEqual([]);
    expect(res.json.unmetDemandRecorded).toBe(true);
    const entries = await scanItems(h.doc, h.tableName, 'UNMET#');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ state: 'TX', ageBand: '18+', gender: 'male', needs: ['parenting'], candidates: 0 });
    expect(JSON.stringify(entries[0])).not.toMatch(/TX-CPS-7002|79901|"age":/);
    // Nothing leads from the entry back to the match: not its id in the match's audit, not the
    // match's time in the entry's key (only the day).
    const entry = entries[0]!;
    expect(entry.sk).toBe(`TX#${entry.date as string}#${entry.id as string}`);
    const audit = (await scanItems(h.doc, h.tableName, 'AUDIT#')).find((a) => a.targetId === res.json.matchId)!;
    expect(audit.changes).toMatchObject({ unmetDemandRecorded: { after: true } });
    expect(JSON.stringify(audit)).not.toContain(entry.id as string);
    // A match that found a bed records nothing.
    expect((await match()).json.unmetDemandRecorded).toBe(false);
    expect(await scanItems(h.doc, h.tableName, 'UNMET#')).toHaveLength(1);
  });

  it('is reported by need, state and month: coordinators for their states, admins for all', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const tx = await h.request<{ total: number; byNeed: Record<string, number>; byState: Record<string, number>; byMonth: Record<string, number>; rows: unknown[]; states: unknown }>(
      'GET',
      '/reports/unmet-demand',
      { token: coordinatorTX },
    );
    expect(tx.status, tx.text).toBe(200);
    expect(tx.json).toMatchObject({ total: 1, byNeed: { parenting: 1 }, byState: { TX: 1 }, byMonth: { [month]: 1 }, states: ['TX'] });
    expect(tx.json.rows).toEqual([{ month, state: 'TX', need: 'parenting', count: 1 }]);
    expect((await h.request<{ total: number }>('GET', '/reports/unmet-demand', { token: coordinatorOK })).json.total).toBe(0);
    expect((await h.request<{ total: number; states: unknown }>('GET', '/reports/unmet-demand', { token: admin })).json).toMatchObject({ total: 1, states: 'all' });
    expect((await h.request('GET', '/reports/unmet-demand?state=TX', { token: coordinatorOK })).status).toBe(403);
    expect((await h.request('GET', '/reports/unmet-demand?from=2026-13', { token: admin })).status).toBe(400);
    for (const token of [caseworker, staff1]) expect((await h.request('GET', '/reports/unmet-demand', { token })).status).toBe(403);
  });
});

describe('the matching policy', () => {
  interface PolicyBody {
    version: number;
    weights: Record<string, number>;
    matching: Record<string, number>;
    referrals: Record<string, number>;
  }
  const body = (changes: { weights?: Record<string, number>; matching?: Record<string, number> } = {}) => ({
    weights: { ...DEFAULT_POLICY.weights, ...changes.weights },
    matching: { ...DEFAULT_POLICY.matching, ...changes.matching },
    referrals: DEFAULT_POLICY.referrals,
  });

  it('admins and coordinators read it, with its version as the ETag; others may not', async () => {
    const read = await h.request<PolicyBody>('GET', '/policy', { token: coordinatorTX });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.json).toMatchObject({ version: 1, weights: DEFAULT_POLICY.weights });
    expect((await h.request('GET', '/policy', { token: admin })).status).toBe(200);
    for (const token of [caseworker, staff1]) expect((await h.request('GET', '/policy', { token })).status).toBe(403);
  });

  it('only admins change it, naming the version they read; bad bodies change nothing', async () => {
    const before = JSON.stringify(await scanItems(h.doc, h.tableName, 'POLICY'));
    expect((await h.request('PUT', '/policy', { token: coordinatorTX, body: body(), headers: { 'if-match': '1' } })).status).toBe(403);
    expect((await h.request('PUT', '/policy', { token: admin, body: body() })).status).toBe(428);
    expect((await h.request('PUT', '/policy', { token: admin, body: body(), headers: { 'if-match': '7' } })).status).toBe(412);
    const negative = await h.request<{ error: { fields: { path: string }[] } }>('PUT', '/policy', { token: admin, body: body({ weights: { needs: -1 } }), headers: { 'if-match': '1' } });
    expect(negative.status).toBe(400);
    expect(negative.json.error.fields.map((f) => f.path)).toContain('weights.needs');
    const unknown = await h.request<{ error: { fields: { path: string }[] } }>('PUT', '/policy', { token: admin, body: { ...body(), colour: 'blue' }, headers: { 'if-match': '1' } });
    expect(unknown.json.error.fields.map((f) => f.path)).toContain('colour');
    expect(JSON.stringify(await scanItems(h.doc, h.tableName, 'POLICY'))).toBe(before);
  });

  it('a change is versioned, audited in the same write, and applies to the next match', async () => {
    const put = await h.request<PolicyBody>('PUT', '/policy', {
      token: admin,
      body: body({ weights: { needs: 5 }, matching: { matchRetentionHours: 1 } }),
      headers: { 'if-match': '"1"' },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.headers.get('etag')).toBe('"2"');
    expect(put.json).toMatchObject({ version: 2, weights: { needs: 5 }, matching: { matchRetentionHours: 1 } });
    expect((await h.request<PolicyBody>('GET', '/policy', { token: coordinatorTX })).json.version).toBe(2);
    // Someone still holding version 1 is refused.
    expect((await h.request('PUT', '/policy', { token: admin, body: body(), headers: { 'if-match': '1' } })).status).toBe(412);

    const audit = (await scanItems(h.doc, h.tableName, 'AUDIT#')).filter((a) => a.action === 'policy.update');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'wf-admin',
      changes: {
        weights: { before: DEFAULT_POLICY.weights, after: { ...DEFAULT_POLICY.weights, needs: 5 } },
        matching: { before: DEFAULT_POLICY.matching },
        version: { before: 1, after: 2 },
      },
    });
    expect(audit[0]!.changes).not.toHaveProperty('referrals');

    const next = await match();
    expect(next.json.policyVersion).toBe(2);
    const stored = (await scanItems(h.doc, h.tableName, `MATCH#${next.json.matchId}`))[0]!;
    const hoursKept = ((stored.ttl as number) * 1000 - Date.now()) / 3_600_000;
    expect(hoursKept).toBeGreaterThan(0.9);
    expect(hoursKept).toBeLessThan(1.1);
  });
});

describe('the line each match logs, for the alarm on a caseworker’s match volume', () => {
  it('names the caller and role and nothing of the youth', async () => {
    const quiet = process.env.HARBOR_QUIET;
    process.env.HARBOR_QUIET = '0';
    const lines: string[] = [];
    // The logger writes to stdout itself (a pure JSON line on Lambda), not through the global console.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => lines.push(...String(chunk).split('\n').filter(Boolean)) > 0) as never);
    try {
      const res = await match({ ...girl, keepAway: [{ lat: 30.1, lon: -97.9, radiusMiles: 10 }] });
      expect(res.status, res.text).toBe(200);
    } finally {
      spy.mockRestore();
      process.env.HARBOR_QUIET = quiet;
    }
    // Only the logger's lines: anything else the process writes meanwhile is not JSON.
    const created = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.message === 'match created');
    expect(created).toHaveLength(1);
    const { at, requestId, ...fields } = created[0]!;
    expect(fields).toStrictEqual({ level: 'info', message: 'match created', sub: 'wf-cw', role: 'caseworker' });
    expect(typeof at).toBe('string');
    expect(typeof requestId).toBe('string');
    // No line the match wrote carries the case reference, the ZIP or the keep-away area.
    expect(lines.join('\n')).not.toMatch(/TX-CPS-7001|78701|-97\.9/);
  });
});
