/**
 * Injected faults: DynamoDB Local never raises TransactionConflict and the SDK does not retry a
 * cancelled transaction, so the retry path is proven here with aws-sdk-client-mock. A conflict
 * that clears is retried to success; one that persists is a 503 with Retry-After, and nothing is
 * written (every TransactWriteItems call was cancelled, no other write was sent).
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toHttpApiEvent } from '../../scripts/local-event';
import { setDocumentClient } from '../../shared/data/client';
import { DEFAULT_RETRY } from '../../shared/data/transact';
import { placementItem } from '../../shared/data/placements';
import { referralItems } from '../../shared/data/referrals';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { newReferral } from '../../shared/domain/referrals/referral';
import { localEventBus } from '../../shared/events/publisher';
import type { Placement } from '../../shared/schemas/directory';
import { handler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);

const now = new Date();
const placement = {
  id: 'plc-1',
  providerId: 'prov-1',
  name: 'Home',
  active: true,
  location: { city: 'Austin', state: 'TX', zip: '78701', lat: 30.27, lon: -97.74, confidential: false },
  capacity: { total: 3, occupied: 1, holds: {}, version: 7, updatedAt: null, updatedBy: null, confirmedAt: null, confirmedBy: null },
} as unknown as Placement;
const referral = newReferral({
  id: 'ref-1',
  at: now.toISOString(),
  placement: { id: 'plc-1', name: 'Home', providerId: 'prov-1', state: 'TX' },
  youthState: 'TX',
  referrer: { sub: 'cw-1', role: 'caseworker', agencyId: 'ag-1', scope: 'agency:ag-1' },
  match: null,
  policy: DEFAULT_POLICY,
});
const [referralItem] = referralItems(referral, { youth: {} as never, note: null, match: null, declineNote: null, withdrawNote: null }, 'k');
const items: Record<string, Record<string, unknown>> = {
  'REFERRAL#ref-1': referralItem!,
  'PLACEMENT#plc-1': placementItem(placement),
};

function conflict(): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None, None]',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
  });
}

function acceptEvent() {
  return toHttpApiEvent(
    { method: 'POST', url: '/referrals/ref-1/accept', rawHeaders: ['host', 'localhost'] },
    {
      routeKey: 'POST /referrals/{id}/accept',
      pathParameters: { id: 'ref-1' },
      claims: { sub: 'staff-1', 'cognito:groups': '[provider]', 'custom:providerId': 'prov-1' },
    },
  );
}

const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const writesOtherThanTransactions = () =>
  ddb.commandCalls(PutCommand).length + ddb.commandCalls(UpdateCommand).length + ddb.commandCalls(DeleteCommand).length + ddb.commandCalls(BatchWriteCommand).length;

describe('accept under injected TransactionConflict', () => {
  beforeEach(() => {
    // Prepare: every read answers from `items`; the client is injected as the container's.
    ddb.reset();
    setDocumentClient(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })));
    ddb.on(GetCommand).callsFake((input: GetCommandInput) => ({ Item: items[input.Key!.pk as string] }));
  });

  afterAll(() => {
    ddb.restore();
    setDocumentClient(undefined);
  });

  it('retries a conflict with backoff and succeeds', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    // Act
    const res = (await handler(acceptEvent(), context)) as { statusCode: number; body: string };
    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ id: 'ref-1', status: 'accepted' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
    const sent = ddb.commandCalls(TransactWriteCommand)[2]!.args[0].input.TransactItems!;
    expect(sent).toHaveLength(4);
    expect(sent[0]!.Update!.ConditionExpression).toContain('size(#holds) < :limit');
    expect(sent[0]!.Update!.ExpressionAttributeValues).toMatchObject({ ':limit': 2, ':version': 7 });
    expect(sent[1]!.Update!.ConditionExpression).toContain('#status = :from');
    expect(sent[2]!.Put!.Item).toMatchObject({ action: 'referral.accept', targetId: 'ref-1' });
    // The provider must not have been made inactive meanwhile.
    expect(sent[3]!.ConditionCheck).toMatchObject({ Key: { pk: 'PROVIDER#prov-1', sk: 'PROVIDER' }, ConditionExpression: 'attribute_not_exists(#active) OR #active <> :false' });
  });

  it('answers 503 with Retry-After when conflicts outlast the retries, having written nothing', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(conflict());
    const eventsBefore = localEventBus.recent().length;
    // Act
    const res = (await handler(acceptEvent(), context)) as { statusCode: number; headers: Record<string, string>; body: string };
    // Assess
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body).error.code).toBe('service_unavailable');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, DEFAULT_RETRY.attempts);
    expect(writesOtherThanTransactions()).toBe(0);
    expect(localEventBus.recent()).toHaveLength(eventsBefore);
  });
});
