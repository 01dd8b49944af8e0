/**
 * Model-based test of beds and holds (fast-check), over HTTP on DynamoDB Local.
 *
 * Each run takes one placement and eight requested referrals, then a random sequence of steps; a
 * step is a random batch of operations sent at once by different clients: the provider's capacity
 * updates (PUT with If-Match), accepts, declines, withdrawals, placements, expiries (a referral's
 * deadline passes, then the expiry job runs) and bare job runs. Their interleaving is whatever the
 * server and DynamoDB make of it. After every step:
 * - the capacity invariants hold: 0 ≤ onHold, 0 ≤ occupied, occupied + onHold ≤ total;
 * - the report-time index key (the stale-count list's) is the count's last report;
 * - the holds in force are exactly the referrals the API reports as accepted;
 * - each referral's status is what the model predicts from the answers the clients got (every
 *   200 is a transition that happened; no referral made two final transitions in one step);
 * and at the end onHold equals the number of referrals the model holds as accepted.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTimeSortKey } from '../../shared/data/report-time-index';
import { lastReportedAt } from '../../shared/domain/capacity';
import { sweepReferrals } from '../../shared/referrals/sweep';
import type { StoredCapacity } from '../../shared/schemas/directory';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';
import type { Actors, ReferralBody } from './referrals-fixtures';
import { PROVIDER, act, actors, bulkReferrals, capacityNow, letDeadlinePass, putPlacement } from './referrals-fixtures';

const REFERRALS = 8;
const NUM_RUNS = Number(process.env.MODEL_RUNS ?? 40);

type Op =
  | { kind: 'capacity'; total: number; occupied: number }
  | { kind: 'accept' | 'decline' | 'withdraw' | 'place' | 'expire'; i: number }
  /** One client accepts and, if that worked, records the admission straight away. */
  | { kind: 'admit'; i: number }
  | { kind: 'sweep' };

type Status = 'requested' | 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'placed';


const referralOp = fc.record({
  kind: fc.constantFrom('accept', 'accept', 'admit', 'decline', 'withdraw', 'place', 'expire') as fc.Arbitrary<
    'accept' | 'admit' | 'decline' | 'withdraw' | 'place' | 'expire'
  >,
  i: fc.integer({ min: 0, max: REFERRALS - 1 }),
});
const capacityOp = fc.record({ kind: fc.constant('capacity' as const), total: fc.integer({ min: 0, max: 6 }), occupied: fc.integer({ min: 0, max: 6 }) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: referralOp, weight: 6 },
  { arbitrary: capacityOp, weight: 2 },
  { arbitrary: fc.constant({ kind: 'sweep' as const }), weight: 1 },
);
const scenarioArb = fc.record({
  total: fc.integer({ min: 1, max: 5 }),
  occupied: fc.integer({ min: 0, max: 2 }),
  steps: fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
});

describe('beds and holds under concurrent clients (model-based)', () => {
  let harbor: Harbor;
  let who: Actors;

  beforeAll(async () => {
    harbor = await startHarbor();
    who = await actors(harbor);
  });

  afterAll(async () => {
    await harbor?.close();
  });

  /** What the runs exercised (printed, so a run that tested little shows it). */
  const tally = new Map<string, number>();
  const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

  it(`keeps occupied + onHold ≤ total and onHold = accepted referrals (${NUM_RUNS} runs)`, { timeout: 900_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ total, occupied, steps }) => {
        run += 1;
        const placement = await putPlacement(harbor, { providerId: PROVIDER, total, occupied: Math.min(occupied, total) });
        const ids = await bulkReferrals(harbor, placement, REFERRALS, `M${run}`);
        const model = new Map<string, Status>(ids.map((id) => [id, 'requested']));

        for (const step of steps) {
          const outcomes = (await Promise.all(step.map((op) => perform(op, ids, placement.id)))).flat();

          // The model: every 200 is a transition that happened; a deadline that passed is an
          // expiry (two clients may both move the same deadline: still one expiry).
          const answered = new Map<string, Status[]>();
          const lapsed = new Set<string>();
          const acceptedNow = new Set<string>();
          for (const outcome of outcomes) {
            if (!outcome) continue;
            if (outcome.status === 'expired') lapsed.add(outcome.id);
            else if (outcome.status === 'accepted') acceptedNow.add(outcome.id);
            else answered.set(outcome.id, [...(answered.get(outcome.id) ?? []), outcome.status]);
          }
          for (const [id, statuses] of answered) {
            expect(statuses, `referral ${id} closed twice in one step`).toHaveLength(1);
            expect(lapsed.has(id), `referral ${id} both closed and expired`).toBe(false);
            model.set(id, statuses[0]!);
          }
          for (const id of lapsed) model.set(id, 'expired');
          for (const id of acceptedNow) if (!answered.has(id) && !lapsed.has(id)) model.set(id, 'accepted');

          // The invariants, read back from the store.
          const capacity = await capacityNow(placement.id);
          expect(capacity.onHold).toBeGreaterThanOrEqual(0);
          expect(capacity.occupied).toBeGreaterThanOrEqual(0);
          expect(capacity.occupied + capacity.onHold).toBeLessThanOrEqual(capacity.total);
          // The stale-count list's index follows the count: updates and placements write it.
          const item = (await harbor.doc.send(new GetCommand({ TableName: harbor.tableName, Key: { pk: `PLACEMENT#${placement.id}`, sk: 'PLACEMENT' }, ConsistentRead: true }))).Item!;
          expect(item.gsi5sk).toBe(reportTimeSortKey(lastReportedAt(item.capacity as StoredCapacity), placement.id));
          const now = new Date().toISOString();
          const held = Object.entries(capacity.holds).filter(([, until]) => until > now).map(([id]) => id).sort();
          const listed = await harbor.request<{ items: ReferralBody[] }>('GET', `/referrals?placementId=${placement.id}&limit=100`, { token: who.admin });
          const actual = new Map(listed.json.items.map((r) => [r.id, r.status as Status]));
          expect(held).toEqual(ids.filter((id) => actual.get(id) === 'accepted').sort());
          expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(model));
        }

        const acceptedInModel = [...model.values()].filter((s) => s === 'accepted').length;
        expect((await capacityNow(placement.id)).onHold).toBe(acceptedInModel);
      }),
      { numRuns: NUM_RUNS, endOnFailure: true, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
    console.log(`[referrals-model] ${NUM_RUNS} runs: ${[...tally].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  });

  /** One client's operation; returns the transitions it made happen. */
  async function perform(op: Op, ids: string[], placementId: string): Promise<({ id: string; status: Status } | undefined)[]> {
    if (op.kind === 'admit') {
      const accepted = await perform({ kind: 'accept', i: op.i }, ids, placementId);
      return accepted[0] ? [...accepted, ...(await perform({ kind: 'place', i: op.i }, ids, placementId))] : accepted;
    }
    return [await performOne(op, ids, placementId)];
  }

  async function performOne(op: Exclude<Op, { kind: 'admit' }>, ids: string[], placementId: string): Promise<{ id: string; status: Status } | undefined> {
    switch (op.kind) {
      case 'capacity': {
        const current = await harbor.request<{ capacity: { version: number } }>('GET', `/placements/${placementId}`, { token: who.provider });
        const res = await harbor.request('PUT', `/placements/${placementId}/capacity`, {
          token: who.provider,
          body: { total: op.total, occupied: op.occupied },
          headers: { 'if-match': String(current.json.capacity.version) },
        });
        // 200, or refused: a stale version (412), a count below what is held (422), nonsense (400).
        expect([200, 400, 412, 422, 503]).toContain(res.status);
        count(`capacity ${res.status}`);
        return undefined;
      }
      case 'sweep':
        await sweepReferrals();
        return undefined;
      case 'expire': {
        const id = ids[op.i]!;
        // Time passes for this referral alone: its deadline moves into the past (only if it is
        // still in the status given), then the job runs.
        const lapsed = (await letDeadlinePass(harbor, { id, placementId }, 'requested')) || (await letDeadlinePass(harbor, { id, placementId }, 'accepted'));
        await sweepReferrals();
        count(`expire ${lapsed ? 'lapsed' : 'already closed'}`);
        return lapsed ? { id, status: 'expired' } : undefined;
      }
      default: {
        const id = ids[op.i]!;
        const token = op.kind === 'withdraw' ? who.caseworker : who.provider;
        const body = op.kind === 'decline' ? { reason: 'staffing' } : op.kind === 'withdraw' ? { reason: 'other' } : undefined;
        const res = await act(harbor, token, id, op.kind, body);
        count(`${op.kind} ${res.status === 200 ? 200 : (res.json.error?.code ?? res.status)}`);
        if (res.status === 200) return { id, status: res.json.status as Status };
        // A refusal must be one the contract names: the referral's status, or no bed.
        expect(res.status).toBe(409);
        expect(res.json.error.code).toMatch(/^(referral_[a-z]+|no_bed_available)$/);
        return undefined;
      }
    }
  }
});

