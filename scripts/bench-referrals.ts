/**
 * Issue-4 figures: accepting and placing referrals over the local server, beside one raw
 * TransactWriteItems of the same shape on the same DynamoDB Local in the same run, and the wall
 * time of 200 concurrent accepts for a 5-bed placement. Figures only — nothing here asserts a
 * time.
 *
 * `npx tsx scripts/bench-referrals.ts` runs it alone on its own in-memory DynamoDB Local;
 * `scripts/bench.ts` can call `benchReferrals` and `printReferralFigures` on its shared one.
 * BENCH_N sets the samples per figure (default 200), after 20 warm-up calls, one client at a time.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDocumentClient } from '../shared/data/client';
import { placementItem } from '../shared/data/placements';
import { referralItems } from '../shared/data/referrals';
import type { YouthProfile } from '../shared/domain/matching/youth';
import { DEFAULT_POLICY } from '../shared/domain/policy';
import { youthKeyOf } from '../shared/domain/referrals/fingerprint';
import { newReferral } from '../shared/domain/referrals/referral';
import type { Placement } from '../shared/schemas/directory';
import type { Summary } from './bench/stats';
import { measure, ms, percentile, printTable, ratio } from './bench/stats';
import { startDynamoDbLocal } from './dynamodb-local';
import { cognitoClaims, forgetSigningKey, signToken } from './local-auth';
import { createLocalServer } from './local-server';
import { ensureTable } from './local-table';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.HARBOR_QUIET = '1';

const N = Number(process.env.BENCH_N ?? 200);
const WARMUP = Math.min(20, N);
const CONTENDERS = 200;
const BEDS = 5;
const AGENCY = 'bench-agency';
const PROVIDER = 'bench-provider';

export interface ReferralFigures {
  accept: Summary;
  place: Summary;
  rawTransaction: Summary;
  race: { contenders: number; beds: number; wallMs: number; accepted: number; noBed: number; other: number; p50: number; p95: number };
}

function benchPlacement(total: number): Placement {
  const at = new Date().toISOString();
  return {
    id: `plc-${randomUUID()}`,
    providerId: PROVIDER,
    name: 'Bench home',
    type: 'group_home',
    location: { city: 'Austin', county: 'Travis', state: 'TX', zip: '78701', lat: 30.27, lon: -97.74, confidential: false },
    population: { minAge: 10, maxAge: 18, genders: ['female', 'male'], acceptsPregnant: false, acceptsParenting: false },
    specializations: ['csec'],
    traumaModels: [],
    mentalHealthLevel: 'none',
    security: 'open',
    runPrevention: false,
    languages: ['en'],
    exclusions: [],
    acceptsOutOfState: false,
    license: { number: 'B-1', expires: '2030-01-01' },
    intake: { twentyFourSeven: true, emergency: true },
    active: true,
    version: 1,
    createdAt: at,
    updatedAt: at,
    capacity: { total, occupied: 0, holds: {}, version: 1, updatedAt: at, updatedBy: 'bench', confirmedAt: null, confirmedBy: null },
  };
}

/** `count` requested referrals to `placement`, bulk-loaded (the items POST /referrals writes). */
async function loadReferrals(doc: DynamoDBDocumentClient, tableName: string, placement: Placement, count: number): Promise<string[]> {
  const scope = `agency:${AGENCY}`;
  const at = new Date().toISOString();
  const ids: string[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const referral = newReferral({
      id: `ref-${randomUUID()}`,
      at,
      placement: { id: placement.id, name: placement.name, providerId: PROVIDER, state: 'TX' },
      youthState: 'TX',
      referrer: { sub: 'bench-cw', role: 'caseworker', agencyId: AGENCY, scope },
      match: null,
      policy: DEFAULT_POLICY,
    });
    ids.push(referral.id);
    const caseRef = `BENCH-${referral.id.slice(4, 12)}-1`;
    const youth = { caseRef, age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_at_risk'], languages: [], behaviors: [], keepAway: [], preferences: {} } as unknown as YouthProfile;
    items.push(...referralItems(referral, { youth, note: null, match: null, declineNote: null, withdrawNote: null }, youthKeyOf(scope, caseRef)));
  }
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
  return ids;
}

export async function benchReferrals(doc: DynamoDBDocumentClient, endpoint: string): Promise<ReferralFigures> {
  const tableName = 'bench-referrals';
  await ensureTable(doc, tableName);
  const dataDir = await mkdtemp(join(tmpdir(), 'harbor-bench-referrals-'));
  const server = await createLocalServer({ port: 0, dataDir, tableName, endpoint, log: false, timers: false });
  try {
    const token = await signToken(cognitoClaims({ sub: 'bench-staff', role: 'provider', providerId: PROVIDER }), { dataDir });
    const post = async (path: string): Promise<{ status: number; code?: string }> => {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { error?: { code: string } };
      return { status: res.status, ...(body.error ? { code: body.error.code } : {}) };
    };
    const expectOk = async (path: string) => {
      const res = await post(path);
      if (res.status !== 200) throw new Error(`POST ${path} → ${res.status} ${res.code ?? ''}`);
    };

    // Accept then place, one client at a time, at a placement with room for all of them.
    const roomy = benchPlacement(10_000);
    await doc.send(new PutCommand({ TableName: tableName, Item: placementItem(roomy) }));
    const ids = await loadReferrals(doc, tableName, roomy, N + WARMUP);
    const accept = await measure(N, (i) => expectOk(`/referrals/${ids[i]}/accept`), WARMUP);
    const place = await measure(N, (i) => expectOk(`/referrals/${ids[i]}/place`), WARMUP);

    // The same shape as accept's transaction (two conditional updates and a put), sent raw.
    const raw = benchPlacement(10_000);
    await doc.send(new PutCommand({ TableName: tableName, Item: placementItem(raw) }));
    const rawIds = await loadReferrals(doc, tableName, raw, N + WARMUP);
    const rawTransaction = await measure(
      N,
      (i) =>
        doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: `PLACEMENT#${raw.id}`, sk: 'PLACEMENT' },
                  UpdateExpression: 'SET #c.#h.#r = :until',
                  ConditionExpression: 'attribute_exists(pk) AND size(#c.#h) < :limit',
                  ExpressionAttributeNames: { '#c': 'capacity', '#h': 'holds', '#r': rawIds[i]! },
                  ExpressionAttributeValues: { ':until': '2999-01-01T00:00:00.000Z', ':limit': 10_000 },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: `REFERRAL#${rawIds[i]}`, sk: 'REFERRAL' },
                  UpdateExpression: 'SET #s = :accepted',
                  ConditionExpression: '#s = :requested',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':accepted': 'accepted', ':requested': 'requested' },
                },
              },
              { Put: { TableName: tableName, Item: { pk: `BENCH#${randomUUID()}`, sk: 'AUDIT', at: new Date().toISOString() } } },
            ],
          }),
        ),
      WARMUP,
    );

    // 200 provider staff accept 200 distinct referrals to one 5-bed placement at once.
    const small = benchPlacement(BEDS);
    await doc.send(new PutCommand({ TableName: tableName, Item: placementItem(small) }));
    const contenders = await loadReferrals(doc, tableName, small, CONTENDERS);
    const latencies: number[] = [];
    const started = performance.now();
    const answers = await Promise.all(
      contenders.map(async (id) => {
        const t = performance.now();
        const res = await post(`/referrals/${id}/accept`);
        latencies.push(performance.now() - t);
        return res;
      }),
    );
    const wallMs = performance.now() - started;
    latencies.sort((a, b) => a - b);
    const accepted = answers.filter((a) => a.status === 200).length;
    const noBed = answers.filter((a) => a.status === 409 && a.code === 'no_bed_available').length;
    return {
      accept,
      place,
      rawTransaction,
      race: { contenders: CONTENDERS, beds: BEDS, wallMs, accepted, noBed, other: CONTENDERS - accepted - noBed, p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    };
  } finally {
    await server.close();
    await forgetSigningKey(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printReferralFigures(f: ReferralFigures): void {
  console.log('\nReferrals (issue 4): over the local server, one client at a time, vs one raw TransactWriteItems of the same shape');
  printTable(
    ['operation', 'n', 'p50', 'p95', 'p50 vs raw'],
    [
      ['POST /referrals/{id}/accept', String(f.accept.n), ms(f.accept.p50), ms(f.accept.p95), ratio(f.accept.p50, f.rawTransaction.p50)],
      ['POST /referrals/{id}/place', String(f.place.n), ms(f.place.p50), ms(f.place.p95), ratio(f.place.p50, f.rawTransaction.p50)],
      ['raw TransactWriteItems (3 items)', String(f.rawTransaction.n), ms(f.rawTransaction.p50), ms(f.rawTransaction.p95), '1.0×'],
    ],
  );
  const r = f.race;
  console.log(
    `\n${r.contenders} concurrent accepts, ${r.beds}-bed placement: wall time ${ms(r.wallMs)}; ${r.accepted} accepted, ${r.noBed} × 409 no_bed_available` +
      `${r.other > 0 ? `, ${r.other} other` : ''}; per-request p50 ${ms(r.p50)}, p95 ${ms(r.p95)}`,
  );
}

async function main(): Promise<void> {
  const ddb = await startDynamoDbLocal({ port: 0 });
  const doc = createDocumentClient({ endpoint: ddb.endpoint });
  try {
    console.log(`DynamoDB Local at ${ddb.endpoint} (in memory); ${N} samples per figure after ${WARMUP} warm-up calls.`);
    printReferralFigures(await benchReferrals(doc, ddb.endpoint));
  } finally {
    doc.destroy();
    await ddb.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
