/**
 * POST /referrals is idempotent per caller and Idempotency-Key, over HTTP on DynamoDB Local: ten
 * concurrent requests with one key create one referral; a later repeat returns it; the same key
 * with another body is a 422; another caller's same key is another referral.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harbor } from '../support/local-harbor';
import { startHarbor } from '../support/local-harbor';
import { scanItems } from '../support/dynamodb';
import type { Actors, ErrorBody, ReferralBody } from './referrals-fixtures';
import { PROVIDER, actors, createReferral, putPlacement, youth } from './referrals-fixtures';

describe('POST /referrals with an Idempotency-Key', () => {
  let harbor: Harbor;
  let who: Actors;
  let placementId: string;

  beforeAll(async () => {
    harbor = await startHarbor();
    who = await actors(harbor);
    placementId = (await putPlacement(harbor, { providerId: PROVIDER, total: 2 })).id;
  });

  afterAll(async () => {
    await harbor?.close();
  });

  /** Referral items (not pointers or youth records) for `placementId`, straight from the table. */
  const storedReferrals = async () =>
    (await scanItems(harbor.doc, harbor.tableName, 'REFERRAL#')).filter((i) => i.sk === 'REFERRAL' && i.placementId === placementId);

  it('ten concurrent requests with one key create one referral and all answer with it', async () => {
    const key = randomUUID();
    const body = { placementId, youth: youth('TX-1010'), note: 'Tonight if possible.' };
    const before = (await storedReferrals()).length;

    const answers = await Promise.all(Array.from({ length: 10 }, () => createReferral(harbor, who.caseworker, body, key)));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const ids = new Set(answers.map((a) => a.json.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'false')).toHaveLength(1);
    expect((await storedReferrals()).length).toBe(before + 1);
    const audits = (await scanItems(harbor.doc, harbor.tableName, 'AUDIT#')).filter((i) => i.action === 'referral.create' && ids.has(i.targetId as string));
    expect(audits).toHaveLength(1);
  });

  it('a repeat later returns the first referral, as it is now', async () => {
    const key = randomUUID();
    const body = { placementId, youth: youth('TX-2020') };
    const first = await createReferral(harbor, who.caseworker, body, key);
    await harbor.request('POST', `/referrals/${first.json.id}/accept`, { token: who.provider });

    const again = await createReferral(harbor, who.caseworker, { youth: youth('TX-2020'), placementId }, key);

    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.status).toBe('accepted');
  });

  it('refuses the same key with a different body (422) and creates nothing', async () => {
    const key = randomUUID();
    await createReferral(harbor, who.caseworker, { placementId, youth: youth('TX-3030') }, key);
    const before = (await storedReferrals()).length;

    const reused = await createReferral(harbor, who.caseworker, { placementId, youth: youth('TX-3031') }, key);

    expect(reused.status).toBe(422);
    expect((reused.json as unknown as ErrorBody).error.code).toBe('idempotency_key_reused');
    expect((reused.json as unknown as ErrorBody).error.fields?.[0]?.path).toBe('Idempotency-Key');
    expect((await storedReferrals()).length).toBe(before);
  });

  it('scopes keys per caller: another caller\'s same key is another referral', async () => {
    const key = randomUUID();
    const body = { placementId, youth: youth('TX-4040') };
    const mine = await createReferral(harbor, who.caseworker, body, key);
    const theirs = await createReferral(harbor, who.otherCaseworker, body, key);
    expect(theirs.status).toBe(201);
    expect(theirs.json.id).not.toBe(mine.json.id);
  });

  it('requires the key, and refuses youth details that identify the youth', async () => {
    const missing = await harbor.request<ErrorBody>('POST', '/referrals', { token: who.caseworker, body: { placementId, youth: youth('TX-5050') } });
    const named = await createReferral(harbor, who.caseworker, { placementId, youth: { ...youth('TX-6060'), firstName: 'Ana' } });
    const noCaseRef = await createReferral(harbor, who.caseworker, { placementId, youth: youth('TX-7070', { caseRef: undefined }) });
    const unknownField = await createReferral(harbor, who.caseworker, { placementId, youth: youth('TX-8080'), priority: 'high' });

    expect(missing.status).toBe(400);
    expect(missing.json.error.fields?.[0]?.path).toBe('Idempotency-Key');
    expect(named.status).toBe(400);
    expect((named.json as unknown as ErrorBody).error.fields?.map((f) => f.path)).toContain('youth.firstName');
    expect(noCaseRef.status).toBe(400);
    expect((noCaseRef.json as unknown as ErrorBody).error.fields?.map((f) => f.path)).toContain('youth.caseRef');
    expect(unknownField.status).toBe(400);
  });

  it('answers a created referral without youth details (they are read, audited, at GET /referrals/{id})', async () => {
    const res = await createReferral(harbor, who.caseworker, { placementId, youth: youth('TX-9090') });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/referrals/${res.json.id}`);
    expect(Object.keys(res.json as ReferralBody)).not.toContain('youth');
  });
});
