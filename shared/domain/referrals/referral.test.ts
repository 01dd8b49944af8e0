import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy';
import type { Referral } from './referral';
import { effectiveHistory, effectiveStatus, holdExpiry, isEscalated, newReferral, nextDueAt, requestDeadlines, youthPurgeAt } from './referral';

const policy = { ...DEFAULT_POLICY.referrals, responseWindowMinutes: 60, escalationMinutes: 20, holdWindowMinutes: 30, youthRetentionDays: 10 };
const T0 = '2026-03-01T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000);

function requested(): Referral {
  return newReferral({
    id: 'ref-1',
    at: T0,
    placement: { id: 'plc-1', name: 'Home', providerId: 'prov-1', state: 'TX' },
    youthState: 'OK',
    referrer: { sub: 'cw-1', role: 'caseworker', agencyId: 'ag-1', scope: 'agency:ag-1' },
    match: null,
    policy: { version: 3, referrals: policy },
  });
}

describe('referral deadlines', () => {
  it('derives respondBy and escalateAt from the policy', () => {
    expect(requestDeadlines(T0, policy)).toEqual({ respondBy: at(60).toISOString(), escalateAt: at(20).toISOString() });
    expect(holdExpiry(T0, policy)).toBe(at(30).toISOString());
    expect(youthPurgeAt(T0, policy)).toBe(Math.floor(Date.parse(T0) / 1000) + 10 * 86_400);
  });

  it('starts requested, with one history step and the policy version', () => {
    const r = requested();
    expect(r.status).toBe('requested');
    expect(r.history).toEqual([{ status: 'requested', at: T0, by: 'cw-1', reason: null }]);
    expect(r.policyVersion).toBe(3);
  });

  it('shows a requested referral past respondBy as expired before the job runs', () => {
    const r = requested();
    expect(effectiveStatus(r, at(59))).toBe('requested');
    expect(effectiveStatus(r, at(60))).toBe('expired');
    expect(effectiveHistory(r, at(61)).at(-1)).toEqual({ status: 'expired', at: r.respondBy, by: 'system', reason: 'no_response' });
  });

  it('shows an accepted referral past holdExpiresAt as expired (the hold has lapsed)', () => {
    const r: Referral = { ...requested(), status: 'accepted', holdExpiresAt: at(40).toISOString() };
    expect(effectiveStatus(r, at(39))).toBe('accepted');
    expect(effectiveStatus(r, at(40))).toBe('expired');
    expect(effectiveHistory(r, at(41)).at(-1)?.reason).toBe('hold_lapsed');
  });

  it('escalates an unanswered referral after the escalation window, and stops once answered or expired', () => {
    const r = requested();
    expect(isEscalated(r, at(19))).toBe(false);
    expect(isEscalated(r, at(20))).toBe(true);
    expect(isEscalated({ ...r, escalated: true }, at(1))).toBe(true);
    expect(isEscalated(r, at(60))).toBe(false);
    expect(isEscalated({ ...r, status: 'accepted', holdExpiresAt: at(90).toISOString() }, at(30))).toBe(false);
  });

  it('gives the expiry job the next moment it has work', () => {
    const r = requested();
    expect(nextDueAt(r)).toBe(r.escalateAt);
    expect(nextDueAt({ ...r, escalated: true })).toBe(r.respondBy);
    expect(nextDueAt({ ...r, status: 'accepted', holdExpiresAt: at(30).toISOString() })).toBe(at(30).toISOString());
    for (const status of ['declined', 'withdrawn', 'expired', 'placed'] as const) expect(nextDueAt({ ...r, status })).toBeUndefined();
  });
});
