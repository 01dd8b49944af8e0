/**
 * Nobody ever holds a bed that does not exist: 200 provider staff accept 200 distinct referrals
 * to one 5-bed placement at the same moment, through the local server's HTTP API on DynamoDB
 * Local, 20 rounds. Each round: exactly 5 accepted, 195 refused with 409 `no_bed_available`, and
 * the placement's `onHold` equal to the accepted count. Wall times are printed, never asserted.
 *
 * The 200 referrals of a round are loaded in bulk (the same items POST /referrals writes; see
 * `bulkReferrals`) because DynamoDB Local runs transactions one at a time: creating 4,000
 * referrals over HTTP would take minutes and test nothing this file is about.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';
import type { Actors, ErrorBody, ReferralBody } from './referrals-fixtures';
import { PROVIDER, act, actors, bulkReferrals, capacityNow, putPlacement } from './referrals-fixtures';

const ROUNDS = Number(process.env.RACE_ROUNDS ?? 20);
const CONTENDERS = 200;
const BEDS = 5;

describe('200 concurrent accepts for a 5-bed placement', () => {
  let harbor: Harbor;
  let who: Actors;

  beforeAll(async () => {
    harbor = await startHarbor();
    who = await actors(harbor);
  });

  afterAll(async () => {
    await harbor?.close();
  });

  it(`holds exactly ${BEDS} beds in each of ${ROUNDS} rounds`, { timeout: 900_000 }, async () => {
    const wallTimes: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const placement = await putPlacement(harbor, { providerId: PROVIDER, total: BEDS, occupied: 0 });
      const referralIds = await bulkReferrals(harbor, placement, CONTENDERS, `R${round}-CASE`);

      const started = performance.now();
      const answers = await Promise.all(referralIds.map((id) => act(harbor, who.provider, id, 'accept')));
      wallTimes.push(performance.now() - started);

      const accepted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 409);
      expect(accepted).toHaveLength(BEDS);
      expect(refused).toHaveLength(CONTENDERS - BEDS);
      for (const a of refused) expect((a.json as ErrorBody).error.code).toBe('no_bed_available');
      for (const a of accepted) expect((a.json as ReferralBody).status).toBe('accepted');

      const capacity = await capacityNow(placement.id);
      expect(capacity.onHold).toBe(accepted.length);
      expect(Object.keys(capacity.holds).sort()).toEqual(accepted.map((a) => (a.json as ReferralBody).id).sort());
      expect(capacity.available).toBe(0);
      expect(capacity.occupied + capacity.onHold).toBeLessThanOrEqual(capacity.total);
    }
    const sorted = [...wallTimes].sort((a, b) => a - b);
    console.log(
      `[referrals-accept-race] ${ROUNDS} rounds of ${CONTENDERS} concurrent accepts over HTTP: wall time per round ` +
        `min ${sorted[0]!.toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms ` +
        `(${wallTimes.map((t) => t.toFixed(0)).join(', ')})`,
    );
  });
});
