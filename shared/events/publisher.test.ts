import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { newReferral } from '../domain/referrals/referral';
import { DEFAULT_POLICY } from '../domain/policy';
import type { DomainEvent } from './publisher';
import { EventBridgePublisher, InProcessBus, publishAfterCommit, setEventPublisher } from './publisher';
import { referralEvent } from './referral-events';

const eventBridge = mockClient(EventBridgeClient);
const referral = newReferral({
  id: 'ref-1',
  at: '2026-03-01T12:00:00.000Z',
  placement: { id: 'plc-1', name: 'Home', providerId: 'prov-1', state: 'TX' },
  youthState: 'OK',
  referrer: { sub: 'cw-1', role: 'caseworker', agencyId: 'ag-1', scope: 'agency:ag-1' },
  match: null,
  policy: DEFAULT_POLICY,
});

describe('referral events', () => {
  afterEach(() => {
    eventBridge.reset();
    setEventPublisher(undefined);
  });
  afterAll(() => eventBridge.restore());

  it('go to the configured EventBridge bus, source harbor.referrals, detail type = transition', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'harbor-referrals');
    // Act
    await publisher.publish([referralEvent('referral.requested', referral, referral.createdAt)]);
    // Assess
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: 'harbor-referrals', Source: 'harbor.referrals', DetailType: 'referral.requested' })],
    });
    const detail = JSON.parse(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!) as Record<string, unknown>;
    expect(detail).toMatchObject({ referralId: 'ref-1', providerId: 'prov-1', notify: ['provider'], states: ['TX', 'OK'] });
  });

  it('carry no youth details and no notes', () => {
    const text = JSON.stringify(referralEvent('referral.accepted', referral, referral.createdAt));
    for (const field of ['youth', 'caseRef', 'note', 'keepAway', 'location']) expect(text).not.toContain(field);
  });

  it('sends at most ten entries per PutEvents call and reports refused entries', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'bus');
    const events = Array.from({ length: 23 }, () => referralEvent('referral.expired', referral, referral.createdAt));
    await publisher.publish(events);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);

    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(publisher.publish(events.slice(0, 1))).rejects.toThrow(/InternalFailure/);
  });

  it('locally, reach in-process subscribers and are kept for late readers', async () => {
    const bus = new InProcessBus(2);
    const heard: DomainEvent[] = [];
    const stop = bus.subscribe((e) => heard.push(e));
    await bus.publish([referralEvent('referral.requested', referral, 'a'), referralEvent('referral.accepted', referral, 'b'), referralEvent('referral.placed', referral, 'c')]);
    stop();
    await bus.publish([referralEvent('referral.expired', referral, 'd')]);
    expect(heard.map((e) => e.type)).toEqual(['referral.requested', 'referral.accepted', 'referral.placed']);
    expect(bus.recent().map((e) => e.at)).toEqual(['c', 'd']);
  });

  it('never fail the change they report: a publish failure after commit is logged', async () => {
    const failing = { publish: vi.fn(async () => Promise.reject(new Error('bus down'))) };
    setEventPublisher(failing);
    await expect(publishAfterCommit([referralEvent('referral.placed', referral, 'x')])).resolves.toBeUndefined();
    expect(failing.publish).toHaveBeenCalledOnce();
  });
});
