/**
 * The referral life cycle over HTTP on DynamoDB Local: every allowed transition and what it does
 * to the bed count, every refused one (409 naming the current status), the expiry job (run through
 * the local server's timer), escalation, the sibling sweep and its crash repair, privacy of the
 * youth's details, audit of every read, retention (TTL) and events.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import type { DomainEvent } from '../../shared/events/publisher';
import { localEventBus } from '../../shared/events/publisher';
import { sweepReferrals } from '../../shared/referrals/sweep';
import { REFERRAL_SWEEP_JOB, registerLocalJobs } from '../../scripts/local-jobs';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';
import type { Actors, ErrorBody, ReferralBody } from './referrals-fixtures';
import { PROVIDER, act, actors, capacityNow, createReferral, letDeadlinePass, putPlacement, referralFor, youth } from './referrals-fixtures';

const DAY_S = 86_400;

describe('referral transitions over HTTP', () => {
  let harbor: Harbor;
  let who: Actors;
  let unregisterJobs: () => void;
  const events: DomainEvent[] = [];
  let stopListening: () => void;

  beforeAll(async () => {
    unregisterJobs = registerLocalJobs();
    harbor = await startHarbor();
    who = await actors(harbor);
    stopListening = localEventBus.subscribe((e) => events.push(e));
  });

  afterAll(async () => {
    stopListening?.();
    unregisterJobs?.();
    await harbor?.close();
  });

  const runJob = () => harbor.server.runTimer(REFERRAL_SWEEP_JOB);
  const get = (token: string, id: string) => harbor.request<ReferralBody>('GET', `/referrals/${id}`, { token });
  const stored = async (id: string, sk: 'REFERRAL' | 'YOUTH') =>
    (await harbor.doc.send(new GetCommand({ TableName: harbor.tableName, Key: { pk: `REFERRAL#${id}`, sk }, ConsistentRead: true }))).Item;
  const eventsFor = (id: string) => events.filter((e) => e.detail.referralId === id).map((e) => e.type);

  it('requested → accepted holds a bed until holdExpiresAt and records the step', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 3, occupied: 1 });
    const r = await referralFor(harbor, who.caseworker, placement.id);
    expect(r.status).toBe('requested');
    expect(r.history).toEqual([{ status: 'requested', at: expect.any(String), by: 'cw-1', reason: null }]);

    const res = await act(harbor, who.provider, r.id, 'accept');

    expect(res.status).toBe(200);
    expect(res.json.status).toBe('accepted');
    const holdMs = Date.parse(res.json.holdExpiresAt!) - Date.parse(res.json.history[1]!.at);
    expect(holdMs).toBe(DEFAULT_POLICY.referrals.holdWindowMinutes * 60_000);
    expect(res.json.history.map((h) => [h.status, h.by])).toEqual([
      ['requested', 'cw-1'],
      ['accepted', 'staff-1'],
    ]);
    const capacity = await capacityNow(placement.id);
    expect(capacity).toMatchObject({ total: 3, occupied: 1, onHold: 1, available: 1, version: 1 });
    expect(capacity.holds).toEqual({ [r.id]: res.json.holdExpiresAt });
    expect(eventsFor(r.id)).toEqual(['referral.requested', 'referral.accepted']);
  });

  it('requested → declined takes a reason code tagged by side, and the provider\'s note', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 2 });
    const a = await referralFor(harbor, who.caseworker, placement.id);
    const b = await referralFor(harbor, who.caseworker, placement.id);

    const providerSide = await act(harbor, who.provider, a.id, 'decline', { reason: 'needs_exceed_level_of_care', note: 'We cannot offer residential care.' });
    const youthSide = await act(harbor, who.provider, b.id, 'decline', { reason: 'youth_declined' });
    const badReason = await act(harbor, who.provider, b.id, 'decline', { reason: 'too_busy' });

    expect(providerSide.status).toBe(200);
    expect(providerSide.json.decline).toEqual({ reason: 'needs_exceed_level_of_care', side: 'provider' });
    expect(providerSide.json.history.at(-1)).toMatchObject({ status: 'declined', by: 'staff-1', reason: 'needs_exceed_level_of_care' });
    expect(youthSide.json.decline).toEqual({ reason: 'youth_declined', side: 'youth' });
    expect(badReason.status).toBe(400);
    expect((await get(who.caseworker, a.id)).json.youth).toMatchObject({ declineNote: 'We cannot offer residential care.' });
    expect((await capacityNow(placement.id)).onHold).toBe(0);
  });

  it('requested → withdrawn, and accepted → withdrawn releases the hold', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const a = await referralFor(harbor, who.caseworker, placement.id);
    const b = await referralFor(harbor, who.caseworker, placement.id);
    expect((await act(harbor, who.caseworker, a.id, 'withdraw', { reason: 'no_longer_needed' })).json.status).toBe('withdrawn');

    expect((await act(harbor, who.provider, b.id, 'accept')).status).toBe(200);
    expect((await capacityNow(placement.id)).available).toBe(0);
    const withdrawn = await act(harbor, who.coordinator, b.id, 'withdraw', { reason: 'youth_ran', note: 'Ran from the office.' });

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', withdrawReason: 'youth_ran' });
    expect(withdrawn.json.history.at(-1)).toMatchObject({ status: 'withdrawn', by: 'co-tx', reason: 'youth_ran' });
    const capacity = await capacityNow(placement.id);
    expect(capacity).toMatchObject({ onHold: 0, available: 1 });
    expect(capacity.holds).toEqual({});
  });

  it('accepted → placed turns the hold into an occupied bed and withdraws the youth\'s other referrals', async () => {
    const home = await putPlacement(harbor, { providerId: PROVIDER, total: 2, occupied: 0 });
    const elsewhere = await putPlacement(harbor, { providerId: PROVIDER, total: 1, occupied: 0 });
    const third = await putPlacement(harbor, { providerId: PROVIDER, total: 1, occupied: 0 });
    const chosen = await referralFor(harbor, who.caseworker, home.id, 'TX-9001');
    const heldSibling = await referralFor(harbor, who.caseworker, elsewhere.id, 'TX-9001');
    const waitingSibling = await referralFor(harbor, who.caseworker, third.id, 'TX-9001');
    const otherYouth = await referralFor(harbor, who.caseworker, third.id, 'TX-9002');
    const otherAgencySameRef = await referralFor(harbor, who.otherCaseworker, third.id, 'TX-9001');
    await act(harbor, who.provider, chosen.id, 'accept');
    await act(harbor, who.provider, heldSibling.id, 'accept');
    expect((await capacityNow(elsewhere.id)).onHold).toBe(1);

    const placed = await act(harbor, who.provider, chosen.id, 'place');

    expect(placed.status).toBe(200);
    expect(placed.json.status).toBe('placed');
    expect(placed.json.history.map((h) => h.status)).toEqual(['requested', 'accepted', 'placed']);
    expect(await capacityNow(home.id)).toMatchObject({ total: 2, occupied: 1, onHold: 0, available: 1, version: 2, holds: {} });
    const history = await harbor.request<{ items: { action: string; before: unknown; after: unknown; version: number }[] }>(
      'GET',
      `/placements/${home.id}/capacity/history`,
      { token: who.provider },
    );
    expect(history.status).toBe(200);
    expect(history.json.items[0]).toMatchObject({ version: 2, before: { total: 2, occupied: 0 }, after: { total: 2, occupied: 1 } });
    for (const sibling of [heldSibling, waitingSibling]) {
      const after = (await get(who.caseworker, sibling.id)).json;
      expect(after.status).toBe('withdrawn');
      expect(after.withdrawReason).toBe('placed_elsewhere');
      expect(after.history.at(-1)).toMatchObject({ status: 'withdrawn', by: 'system', reason: 'placed_elsewhere' });
    }
    expect(await capacityNow(elsewhere.id)).toMatchObject({ onHold: 0, holds: {} });
    expect((await get(who.caseworker, otherYouth.id)).json.status).toBe('requested');
    expect((await get(who.otherCaseworker, otherAgencySameRef.id)).json.status).toBe('requested');

    // The job's pass after the grace period confirms the sweep and takes the referral off its list.
    expect((await stored(chosen.id, 'REFERRAL'))?.gsi1pk).toBe('REFERRAL#DUE#placed');
    const report = await sweepReferrals(new Date(Date.now() + 3 * 60_000));
    expect(report.siblingSweeps).toBeGreaterThanOrEqual(1);
    expect((await stored(chosen.id, 'REFERRAL'))?.gsi1pk).toBeUndefined();
  });

  it('a crash between placing and the sibling sweep is repaired by the next expiry-job run', async () => {
    const home = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const elsewhere = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const chosen = await referralFor(harbor, who.caseworker, home.id, 'TX-7001');
    const sibling = await referralFor(harbor, who.caseworker, elsewhere.id, 'TX-7001');
    await act(harbor, who.provider, chosen.id, 'accept');
    await act(harbor, who.provider, sibling.id, 'accept');
    // Make the sweep fail part-way, as a crash would: the sibling's withdrawal cannot be written
    // while its youth record is away (its closing transaction requires it).
    const siblingYouth = await stored(sibling.id, 'YOUTH');
    await harbor.doc.send(new DeleteCommand({ TableName: harbor.tableName, Key: { pk: `REFERRAL#${sibling.id}`, sk: 'YOUTH' } }));

    const placed = await act(harbor, who.provider, chosen.id, 'place');

    expect(placed.status).toBe(200);
    expect((await get(who.caseworker, sibling.id)).json.status).toBe('accepted');
    expect((await capacityNow(elsewhere.id)).onHold).toBe(1);

    await harbor.doc.send(new PutCommand({ TableName: harbor.tableName, Item: siblingYouth! }));
    const report = await sweepReferrals(new Date(Date.now() + 3 * 60_000));

    expect(report.siblingSweeps).toBeGreaterThanOrEqual(1);
    expect((await get(who.caseworker, sibling.id)).json).toMatchObject({ status: 'withdrawn', withdrawReason: 'placed_elsewhere' });
    expect(await capacityNow(elsewhere.id)).toMatchObject({ onHold: 0, holds: {} });
  });

  it('requested → expired: reads show it at once, the job writes it, and no answer is accepted after', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 2 });
    const r = await referralFor(harbor, who.caseworker, placement.id);
    expect(await letDeadlinePass(harbor, r, 'requested')).toBe(true);

    const before = (await get(who.provider, r.id)).json;
    const accept = await act(harbor, who.provider, r.id, 'accept');

    expect(before.status).toBe('expired');
    expect(before.history.at(-1)).toMatchObject({ status: 'expired', by: 'system', reason: 'no_response' });
    expect(accept.status).toBe(409);
    expect(accept.json.error.code).toBe('referral_expired');
    expect((await stored(r.id, 'REFERRAL'))?.status).toBe('requested');

    await runJob();

    const item = await stored(r.id, 'REFERRAL');
    expect(item).toMatchObject({ status: 'expired', expireReason: 'no_response' });
    expect(item?.gsi1pk).toBeUndefined();
    expect(eventsFor(r.id)).toContain('referral.expired');
  });

  it('accepted → expired when the hold lapses: reads stop counting it at once, the job removes it', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const r = await referralFor(harbor, who.caseworker, placement.id);
    await act(harbor, who.provider, r.id, 'accept');
    expect(await letDeadlinePass(harbor, r, 'accepted')).toBe(true);

    const lapsed = await capacityNow(placement.id);
    const place = await act(harbor, who.provider, r.id, 'place');
    const withdraw = await act(harbor, who.caseworker, r.id, 'withdraw', { reason: 'other' });

    expect(lapsed).toMatchObject({ onHold: 0, available: 1 });
    expect(Object.keys(lapsed.holds)).toEqual([r.id]);
    expect(place.status).toBe(409);
    expect(place.json.error.code).toBe('referral_expired');
    expect(withdraw.json.error.code).toBe('referral_expired');

    // Another referral may take the bed at once, before the job runs (the lapsed hold is removed in the same write).
    const next = await referralFor(harbor, who.caseworker, placement.id);
    expect((await act(harbor, who.provider, next.id, 'accept')).status).toBe(200);
    expect(Object.keys((await capacityNow(placement.id)).holds)).toEqual([next.id]);

    await runJob();

    expect(await stored(r.id, 'REFERRAL')).toMatchObject({ status: 'expired', expireReason: 'hold_lapsed' });
    expect(await capacityNow(placement.id)).toMatchObject({ onHold: 1, holds: { [next.id]: expect.any(String) } });
  });

  it('flags referrals unanswered past the escalation window for the coordinator', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const late = await referralFor(harbor, who.caseworker, placement.id);
    const fresh = await referralFor(harbor, who.caseworker, placement.id);
    const past = new Date(Date.now() - 60_000).toISOString();
    await harbor.doc.send(
      new UpdateCommand({
        TableName: harbor.tableName,
        Key: { pk: `REFERRAL#${late.id}`, sk: 'REFERRAL' },
        UpdateExpression: 'SET escalateAt = :past, gsi1sk = :sk',
        ExpressionAttributeValues: { ':past': past, ':sk': `${past}#${late.id}` },
      }),
    );

    const beforeJob = await harbor.request<{ items: ReferralBody[] }>('GET', '/referrals?escalated=true', { token: who.coordinator });
    await runJob();
    const afterJob = await harbor.request<{ items: ReferralBody[] }>('GET', '/referrals?escalated=true', { token: who.coordinator });
    const notEscalated = await harbor.request<{ items: ReferralBody[] }>(`GET`, `/referrals?escalated=false&placementId=${placement.id}`, { token: who.coordinator });

    expect(beforeJob.json.items.map((r) => r.id)).toContain(late.id);
    expect(beforeJob.json.items.map((r) => r.id)).not.toContain(fresh.id);
    expect(afterJob.json.items.map((r) => r.id)).toContain(late.id);
    expect(await stored(late.id, 'REFERRAL')).toMatchObject({ status: 'requested', escalated: true });
    expect(eventsFor(late.id)).toContain('referral.escalated');
    expect(notEscalated.json.items.map((r) => r.id)).toEqual([fresh.id]);

    // Once answered it is no longer waiting, so no longer escalated.
    await act(harbor, who.provider, late.id, 'decline', { reason: 'staffing' });
    const answered = await harbor.request<{ items: ReferralBody[] }>('GET', '/referrals?escalated=true', { token: who.coordinator });
    expect(answered.json.items.map((r) => r.id)).not.toContain(late.id);
  });

  it('refuses every transition the state machine does not allow with a 409 naming the current status', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 5 });
    const make = () => referralFor(harbor, who.caseworker, placement.id);
    const requested = await make();
    const accepted = await make();
    await act(harbor, who.provider, accepted.id, 'accept');
    const declined = await make();
    await act(harbor, who.provider, declined.id, 'decline', { reason: 'staffing' });
    const withdrawn = await make();
    await act(harbor, who.caseworker, withdrawn.id, 'withdraw', { reason: 'other' });
    const placed = await make();
    await act(harbor, who.provider, placed.id, 'accept');
    await act(harbor, who.provider, placed.id, 'place');
    const expired = await make();
    await letDeadlinePass(harbor, expired, 'requested');
    await runJob();

    const refused: [ReferralBody, 'accept' | 'decline' | 'withdraw' | 'place', string][] = [
      [requested, 'place', 'requested'],
      [accepted, 'accept', 'accepted'],
      [accepted, 'decline', 'accepted'],
      ...(['declined', 'withdrawn', 'placed', 'expired'] as const).flatMap((status) =>
        (['accept', 'decline', 'withdraw', 'place'] as const).map(
          (verb) => [{ declined, withdrawn, placed, expired }[status], verb, status] as [ReferralBody, typeof verb, string],
        ),
      ),
    ];
    for (const [referral, verb, status] of refused) {
      const token = verb === 'withdraw' ? who.caseworker : who.provider;
      const body = verb === 'decline' ? { reason: 'staffing' } : verb === 'withdraw' ? { reason: 'other' } : undefined;
      const res = await act(harbor, token, referral.id, verb, body);
      expect({ verb, status, code: res.status }).toEqual({ verb, status, code: 409 });
      expect((res.json as unknown as ErrorBody).error.code).toBe(`referral_${status}`);
      expect((res.json as unknown as ErrorBody).error.message).toContain(`is ${status}`);
    }
    const capacity = await capacityNow(placement.id);
    expect(capacity).toMatchObject({ occupied: 1, onHold: 1 });
  });

  it('refuses to hold a bed that does not exist, or at an inactive placement', async () => {
    const full = await putPlacement(harbor, { providerId: PROVIDER, total: 2, occupied: 2 });
    const inactive = await putPlacement(harbor, { providerId: PROVIDER, total: 2, active: true });
    const r = await referralFor(harbor, who.caseworker, full.id);
    const s = await referralFor(harbor, who.caseworker, inactive.id);
    await harbor.doc.send(
      new UpdateCommand({ TableName: harbor.tableName, Key: { pk: `PLACEMENT#${inactive.id}`, sk: 'PLACEMENT' }, UpdateExpression: 'SET active = :f', ExpressionAttributeValues: { ':f': false } }),
    );

    const noBed = await act(harbor, who.provider, r.id, 'accept');
    const closed = await act(harbor, who.provider, s.id, 'accept');
    const refer = await createReferral(harbor, who.caseworker, { placementId: inactive.id, youth: youth('TX-3001') });

    expect(noBed.status).toBe(409);
    expect(noBed.json.error.code).toBe('no_bed_available');
    expect(closed.json.error.code).toBe('placement_inactive');
    expect(refer.status).toBe(409);
    expect((await get(who.provider, r.id)).json.status).toBe('requested');
    expect(await capacityNow(full.id)).toMatchObject({ onHold: 0, holds: {} });
  });

  it('shows provider staff the minimum-necessary packet, the referring side everything, and audits every read', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const created = await createReferral(harbor, who.caseworker, {
      placementId: placement.id,
      youth: youth('TX-5005', { location: { zip: '73102' }, preferences: { stayNearZip: '73103' } }),
      note: 'Speaks mostly Spanish.',
    });
    const id = created.json.id;

    const asProvider = await get(who.provider, id);
    const asCaseworker = await get(who.caseworker, id);
    const asAdmin = await get(who.admin, id);

    expect(Object.keys(asProvider.json.youth!).sort()).toEqual(
      ['age', 'behaviors', 'declineNote', 'gender', 'languages', 'match', 'mentalHealthLevel', 'needs', 'note', 'runRisk'].sort(),
    );
    expect(asProvider.json.youth).toMatchObject({ age: 15, gender: 'female', runRisk: 'high', note: 'Speaks mostly Spanish.' });
    for (const text of [asProvider.text, asAdmin.text]) {
      for (const secret of ['73102', '73103', '29.42', '-98.49', 'keepAway', 'TX-5005', 'caseRef', 'youthState']) expect(text).not.toContain(secret);
    }
    expect(asCaseworker.json.youth).toMatchObject({ packet: 'full', youth: { caseRef: 'TX-5005', location: { zip: '73102' }, keepAway: [{ lat: 29.42 }] } });
    // Lists and transition answers carry no youth details at all.
    const list = await harbor.request('GET', `/referrals?placementId=${placement.id}`, { token: who.provider });
    expect(list.text).not.toContain('youth');

    const audit = await harbor.request<{ items: { action: string; actor: string }[] }>('GET', `/audit?targetId=${id}`, { token: who.admin });
    expect(audit.status).toBe(200);
    const reads = audit.json.items.filter((e) => e.action === 'referral.read_youth').map((e) => e.actor).sort();
    expect(reads).toEqual(['admin-1', 'cw-1', 'staff-1']);
    expect(audit.json.items.map((e) => e.action)).toContain('referral.create');
  });

  it('purges closed referrals\' youth details after the retention window and keeps a de-identified outcome', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 1 });
    const r = await referralFor(harbor, who.caseworker, placement.id, 'TX-6006');
    expect((await stored(r.id, 'YOUTH'))?.ttl).toBeUndefined();

    const declined = await act(harbor, who.provider, r.id, 'decline', { reason: 'gender_not_served' });

    const details = await stored(r.id, 'YOUTH');
    const closedAt = Date.parse(declined.json.history.at(-1)!.at) / 1000;
    expect(details?.ttl).toBe(Math.floor(closedAt + DEFAULT_POLICY.referrals.youthRetentionDays * DAY_S));
    const outcome = await stored(r.id, 'REFERRAL');
    expect(JSON.stringify(outcome)).not.toMatch(/TX-6006|caseRef|78701|keepAway|"youth"/);

    // DynamoDB's TTL sweep deletes the details; the referral and its outcome remain.
    await harbor.doc.send(new DeleteCommand({ TableName: harbor.tableName, Key: { pk: `REFERRAL#${r.id}`, sk: 'YOUTH' } }));
    const after = await get(who.caseworker, r.id);
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ status: 'declined', decline: { reason: 'gender_not_served', side: 'provider' }, youth: null, youthPurged: true });
  });

  it('keeps a snapshot of the match explanation when the referral comes from a match', async () => {
    const placement = await putPlacement(harbor, { providerId: PROVIDER, total: 2 });
    const match = await harbor.request<{ matchId: string; results: { placementId: string; score: number; reasons: string[] }[] }>('POST', '/matches', {
      token: who.caseworker,
      body: { youth: youth('TX-8008'), options: { limit: 50, includeFull: true, explainExcluded: false } },
    });
    expect(match.status).toBe(200);
    const result = match.json.results.find((m) => m.placementId === placement.id);
    expect(result).toBeDefined();

    const created = await createReferral(harbor, who.caseworker, { placementId: placement.id, youth: youth('TX-8008'), matchId: match.json.matchId });
    const notMine = await createReferral(harbor, who.otherCaseworker, { placementId: placement.id, youth: youth('TX-8008'), matchId: match.json.matchId });

    expect(created.status).toBe(201);
    const asProvider = (await get(who.provider, created.json.id)).json.youth as { match: { matchId: string; score: number; reasons: string[]; rank: number } };
    expect(asProvider.match).toMatchObject({ matchId: match.json.matchId, score: result!.score, reasons: result!.reasons });
    expect(notMine.status).toBe(400);
    expect((notMine.json as unknown as ErrorBody).error.fields?.[0]?.path).toBe('matchId');
  });
});
