/**
 * POST /referrals at the handler: the Idempotency-Key is required, and a conflict that outlasts
 * the retries is a 503 with Retry-After that wrote nothing — neither the referral nor the key's
 * claim, so the client's retry with the same key creates it then.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toHttpApiEvent } from '../../scripts/local-event';
import { setDocumentClient } from '../../shared/data/client';
import { placementItem } from '../../shared/data/placements';
import { DEFAULT_RETRY } from '../../shared/data/transact';
import type { Placement } from '../../shared/schemas/directory';
import { handler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const placement = {
  id: 'plc-1',
  providerId: 'prov-1',
  name: 'Home',
  active: true,
  location: { city: 'Austin', state: 'TX', zip: '78701', lat: 30.27, lon: -97.74, confidential: false },
  capacity: { total: 3, occupied: 1, holds: {}, version: 7, updatedAt: null, updatedBy: null, confirmedAt: null, confirmedBy: null },
} as unknown as Placement;
const body = {
  placementId: 'plc-1',
  youth: { caseRef: 'TX-4471', age: 15, gender: 'female', location: { zip: '78701' }, needs: ['csec_at_risk'] },
};
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function createEvent(headers: string[]) {
  return toHttpApiEvent(
    { method: 'POST', url: '/referrals', rawHeaders: ['host', 'localhost', 'content-type', 'application/json', ...headers], body: JSON.stringify(body) },
    { routeKey: 'POST /referrals', pathParameters: {}, claims: { sub: 'cw-1', 'cognito:groups': '[caseworker]', 'custom:agencyId': 'ag-1' } },
  );
}

describe('POST /referrals at the handler', () => {
  beforeEach(() => {
    ddb.reset();
    setDocumentClient(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })));
    ddb.on(GetCommand).callsFake((input: GetCommandInput) => ({ Item: input.Key!.pk === 'PLACEMENT#plc-1' ? placementItem(placement) : undefined }));
  });

  afterAll(() => {
    ddb.restore();
    setDocumentClient(undefined);
  });

  it('requires an Idempotency-Key (400 naming the header) and reads nothing without one', async () => {
    const res = (await handler(createEvent([]), context)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.fields[0].path).toBe('Idempotency-Key');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('claims the key and creates the referral in one transaction', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(conflictError()).resolves({});
    const res = (await handler(createEvent(['idempotency-key', 'k-1']), context)) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBe('false');
    const items = ddb.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(items[0]!.Put!.Item).toMatchObject({ entity: 'idempotency', caller: 'cw-1', resourceId: JSON.parse(res.body).id });
    expect(items.map((i) => (i.Put?.Item as { entity?: string } | undefined)?.entity)).toEqual([
      'idempotency',
      'referral',
      'referral_scope',
      'referral_youth',
      'audit',
    ]);
  });

  it('answers 503 with Retry-After when conflicts outlast the retries, having written nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(conflictError());
    const res = (await handler(createEvent(['idempotency-key', 'k-2']), context)) as { statusCode: number; headers: Record<string, string> };
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, DEFAULT_RETRY.attempts);
    const otherWrites =
      ddb.commandCalls(PutCommand).length + ddb.commandCalls(UpdateCommand).length + ddb.commandCalls(DeleteCommand).length + ddb.commandCalls(BatchWriteCommand).length;
    expect(otherWrites).toBe(0);
  });
});

function conflictError(): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled [TransactionConflict, None, None, None, None]',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }],
  });
}
