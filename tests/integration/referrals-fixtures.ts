/**
 * Shared set-up for the referral integration tests: placements written straight to the table
 * (the directory routes are another issue's; a referral test needs only the item), youth
 * profiles, and HTTP helpers for the referral routes.
 */
import { BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomInt, randomUUID } from 'node:crypto';
import { getPlacement, placementItem } from '../../shared/data/placements';
import type { CapacityView } from '../../shared/domain/capacity';
import { capacityView } from '../../shared/domain/capacity';
import { referralItems } from '../../shared/data/referrals';
import type { YouthProfile } from '../../shared/domain/matching/youth';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { youthKeyOf } from '../../shared/domain/referrals/fingerprint';
import { newReferral } from '../../shared/domain/referrals/referral';
import type { Placement } from '../../shared/schemas/directory';
import type { Harbor, HarborResponse, TestIdentity } from '../support/local-harbor';

export interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
  requestId: string;
}

export interface ReferralBody {
  id: string;
  status: string;
  placementId: string;
  providerId: string;
  agencyId: string | null;
  holdExpiresAt: string | null;
  respondBy: string;
  escalated: boolean;
  decline: { reason: string; side: string } | null;
  withdrawReason: string | null;
  expireReason: string | null;
  history: { status: string; at: string; by: string; reason: string | null }[];
  youth?: Record<string, unknown> | null;
  youthPurged?: boolean;
}

/** A placement item as the directory stores it, with the given counts and owner. */
export async function putPlacement(
  harbor: Harbor,
  options: { providerId: string; state?: string; zip?: string; total: number; occupied?: number; active?: boolean; id?: string },
): Promise<Placement> {
  const at = new Date().toISOString();
  const state = options.state ?? 'TX';
  const placement: Placement = {
    id: options.id ?? `plc-${randomUUID()}`,
    providerId: options.providerId,
    name: `Test home ${state}`,
    type: 'group_home',
    location: { city: 'Austin', county: 'Travis', state, zip: options.zip ?? '78701', lat: 30.27, lon: -97.74, confidential: false },
    population: { minAge: 10, maxAge: 18, genders: ['female', 'male', 'nonbinary'], acceptsPregnant: true, acceptsParenting: false },
    specializations: ['csec', 'trauma_informed'],
    traumaModels: ['tf_cbt'],
    mentalHealthLevel: 'outpatient',
    security: 'staff_secure',
    runPrevention: true,
    languages: ['en', 'es'],
    exclusions: [],
    acceptsOutOfState: true,
    license: { number: 'LIC-1', expires: '2030-01-01' },
    intake: { twentyFourSeven: true, emergency: true },
    active: options.active ?? true,
    version: 1,
    createdAt: at,
    updatedAt: at,
    capacity: {
      total: options.total,
      occupied: options.occupied ?? 0,
      holds: {},
      version: 1,
      updatedAt: at,
      updatedBy: 'test',
      confirmedAt: null,
      confirmedBy: null,
    },
  };
  await harbor.doc.send(new PutCommand({ TableName: harbor.tableName, Item: placementItem(placement) }));
  return placement;
}

/** The capacity a reader sees now (onHold counts holds in force only). */
export async function capacityNow(placementId: string): Promise<CapacityView & { holds: Record<string, string> }> {
  const placement = await getPlacement(placementId, { consistent: true });
  if (!placement) throw new Error(`no placement ${placementId}`);
  return { ...capacityView(placement.capacity, new Date()), holds: placement.capacity.holds };
}

/** A youth profile: nothing identifying, a case reference, a location and keep-away areas. */
export function youth(caseRef: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    caseRef,
    age: 15,
    gender: 'female',
    location: { zip: '78701' },
    needs: ['csec_confirmed', 'mental_health'],
    runRisk: 'high',
    languages: ['es', 'en'],
    behaviors: [],
    keepAway: [{ lat: 29.42, lon: -98.49, radiusMiles: 25 }],
    preferences: { maxDistanceMiles: 300 },
    ...overrides,
  };
}

export interface Actors {
  caseworker: string;
  otherCaseworker: string;
  coordinator: string;
  otherCoordinator: string;
  provider: string;
  otherProvider: string;
  admin: string;
}

export const PROVIDER = 'prov-own';
export const OTHER_PROVIDER = 'prov-other';
export const AGENCY = 'agency-own';
export const OTHER_AGENCY = 'agency-other';

export async function actors(harbor: Harbor): Promise<Actors> {
  const t = (who: TestIdentity) => harbor.tokenFor(who);
  return {
    caseworker: await t({ role: 'caseworker', sub: 'cw-1', agencyId: AGENCY }),
    otherCaseworker: await t({ role: 'caseworker', sub: 'cw-2', agencyId: OTHER_AGENCY }),
    coordinator: await t({ role: 'coordinator', sub: 'co-tx', jurisdiction: 'TX' }),
    otherCoordinator: await t({ role: 'coordinator', sub: 'co-ok', jurisdiction: 'OK' }),
    provider: await t({ role: 'provider', sub: 'staff-1', providerId: PROVIDER }),
    otherProvider: await t({ role: 'provider', sub: 'staff-2', providerId: OTHER_PROVIDER }),
    admin: await t({ role: 'admin', sub: 'admin-1' }),
  };
}

export async function createReferral(
  harbor: Harbor,
  token: string,
  body: Record<string, unknown>,
  key: string = randomUUID(),
): Promise<HarborResponse<ReferralBody>> {
  return harbor.request<ReferralBody>('POST', '/referrals', { token, body, headers: { 'idempotency-key': key } });
}

/** Creates a referral and fails the test unless it was created. */
export async function referralFor(harbor: Harbor, token: string, placementId: string, caseRef = `CASE-${randomInt(100_000_000, 1_000_000_000)}`): Promise<ReferralBody> {
  const res = await createReferral(harbor, token, { placementId, youth: youth(caseRef), note: 'Needs a bed tonight.' });
  if (res.status !== 201) throw new Error(`create referral: ${res.status} ${res.text}`);
  return res.json;
}

export function act(harbor: Harbor, token: string, id: string, verb: 'accept' | 'place' | 'decline' | 'withdraw', body?: unknown): Promise<HarborResponse<ReferralBody & ErrorBody>> {
  return harbor.request('POST', `/referrals/${id}/${verb}`, { token, ...(body === undefined ? {} : { body }) });
}

/**
 * Moves a referral's deadline into the past, as time passing would: the referral's `respondBy`
 * (requested) or `holdExpiresAt` (accepted, and its hold in the placement), in one transaction
 * conditioned on the status, so it never races a transition into an impossible state.
 */
export async function letDeadlinePass(harbor: Harbor, referral: { id: string; placementId: string }, status: 'requested' | 'accepted'): Promise<boolean> {
  const past = new Date(Date.now() - 60_000).toISOString();
  const attribute = status === 'requested' ? 'respondBy' : 'holdExpiresAt';
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
    {
      Update: {
        TableName: harbor.tableName,
        Key: { pk: `REFERRAL#${referral.id}`, sk: 'REFERRAL' },
        UpdateExpression: 'SET #deadline = :past, gsi1sk = :dueSk',
        ConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#deadline': attribute, '#status': 'status' },
        ExpressionAttributeValues: { ':past': past, ':status': status, ':dueSk': `${past}#${referral.id}` },
      },
    },
  ];
  if (status === 'accepted') {
    items.push({
      Update: {
        TableName: harbor.tableName,
        Key: { pk: `PLACEMENT#${referral.placementId}`, sk: 'PLACEMENT' },
        UpdateExpression: 'SET #holds.#rid = :past',
        ConditionExpression: 'attribute_exists(#holds.#rid)',
        ExpressionAttributeNames: { '#holds': 'holds', '#rid': referral.id },
        ExpressionAttributeValues: { ':past': past },
      },
    });
  }
  try {
    await harbor.doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
    throw error;
  }
}

/**
 * `count` requested referrals to `placement` from AGENCY's caseworker cw-1, written with
 * BatchWriteItem (DynamoDB Local runs transactions one at a time, ~25 ms each): the items are the
 * ones `POST /referrals` writes (same builders), without the idempotency claim and audit record.
 */
export async function bulkReferrals(harbor: Harbor, placement: Placement, count: number, casePrefix: string): Promise<string[]> {
  const at = new Date().toISOString();
  const scope = `agency:${AGENCY}`;
  const items: Record<string, unknown>[] = [];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `ref-${randomUUID()}`;
    ids.push(id);
    const referral = newReferral({
      id,
      at,
      placement: { id: placement.id, name: placement.name, providerId: placement.providerId, state: placement.location.state },
      youthState: 'TX',
      referrer: { sub: 'cw-1', role: 'caseworker', agencyId: AGENCY, scope },
      match: null,
      policy: DEFAULT_POLICY,
    });
    const caseRef = `${casePrefix}-${i}`;
    const profile = { ...youth(caseRef), languages: ['es', 'en'], behaviors: [], needs: ['csec_confirmed'] } as unknown as YouthProfile;
    items.push(...referralItems(referral, { youth: profile, note: null, match: null, declineNote: null, withdrawNote: null }, youthKeyOf(scope, caseRef)));
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const out = await harbor.doc.send(new BatchWriteCommand({ RequestItems: { [harbor.tableName]: pending } }));
        pending = (out.UnprocessedItems?.[harbor.tableName] ?? []) as typeof pending;
      }
    }),
  );
  return ids;
}
