import { describe, expect, it } from 'vitest';
import type { ReferralAction, ReferralStatus } from './state-machine';
import { REFERRAL_STATUSES, TRANSITIONS, TransitionRefused, canTransition, transition } from './state-machine';

const ACTIONS: ReferralAction[] = ['accept', 'decline', 'withdraw', 'expire', 'place'];

/** DESIGN.md §5, written out by hand so the table in the module cannot drift unnoticed. */
const ALLOWED: Record<ReferralStatus, Partial<Record<ReferralAction, ReferralStatus>>> = {
  requested: { accept: 'accepted', decline: 'declined', withdraw: 'withdrawn', expire: 'expired' },
  accepted: { withdraw: 'withdrawn', expire: 'expired', place: 'placed' },
  declined: {},
  withdrawn: {},
  expired: {},
  placed: {},
};

const referral = (status: ReferralStatus) => ({
  id: 'ref-1',
  status,
  history: [{ status: 'requested' as const, at: '2026-01-01T00:00:00.000Z', by: 'cw-1', reason: null }],
});

describe('referral state machine', () => {
  for (const status of REFERRAL_STATUSES) {
    for (const action of ACTIONS) {
      const to = ALLOWED[status][action];
      if (to) {
        it(`allows ${action} from ${status} → ${to}, appending the step to history`, () => {
          // Act
          const result = transition(referral(status), action, { at: '2026-01-02T00:00:00.000Z', by: 'staff-1', reason: 'staffing' });
          // Assess
          expect(result.to).toBe(to);
          expect(result.from).toBe(status);
          expect(result.step).toEqual({ status: to, at: '2026-01-02T00:00:00.000Z', by: 'staff-1', reason: 'staffing' });
          expect(result.history).toHaveLength(2);
          expect(result.history[1]).toEqual(result.step);
          expect(canTransition(status, action)).toBe(true);
        });
      } else {
        it(`refuses ${action} from ${status} with a 409 naming ${status}`, () => {
          expect(canTransition(status, action)).toBe(false);
          let caught: unknown;
          try {
            transition(referral(status), action, { at: '2026-01-02T00:00:00.000Z', by: 'x' });
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(TransitionRefused);
          const refused = caught as TransitionRefused;
          expect(refused.status).toBe(409);
          expect(refused.code).toBe(`referral_${status}`);
          expect(refused.message).toContain(`is ${status}`);
        });
      }
    }
  }

  it('lists exactly the transitions of DESIGN.md §5', () => {
    const table = Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, Object.fromEntries(ACTIONS.filter((a) => canTransition(s, a)).map((a) => [a, TRANSITIONS[a].to]))]));
    expect(table).toEqual(ALLOWED);
  });

  it('records a null reason when none is given and never mutates the input history', () => {
    const input = referral('requested');
    const result = transition(input, 'accept', { at: '2026-01-02T00:00:00.000Z', by: 'staff-1' });
    expect(result.step.reason).toBeNull();
    expect(input.history).toHaveLength(1);
  });
});
