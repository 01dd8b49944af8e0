import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshnessOf } from '../capacity';
import { candidateClock, candidateOf, fastFreshness } from './candidate';
import { minutesAgo, minutesFromNow, NOW, placement, youth } from './fixtures/builders';

describe('candidate view', () => {
  it('counts only holds still in force, and the first to lapse', () => {
    const p = placement('p', 'austin', { capacity: { total: 5, occupied: 1, holds: { a: minutesFromNow(30), b: minutesFromNow(10), c: minutesAgo(5) } } });
    const c = candidateOf(p, youth({}).point, candidateClock(NOW));
    expect(c).toMatchObject({ available: 2, onHold: 2, nextHoldLapse: minutesFromNow(10), freshness: 'fresh' });
  });

  it('never shows negative beds', () => {
    const p = placement('p', 'austin', { capacity: { total: 1, occupied: 2 } });
    expect(candidateOf(p, youth({}).point, candidateClock(NOW)).available).toBe(0);
  });

  it('fastFreshness agrees with freshnessOf for any report time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60 * 24 * 30, max: 60 * 24 * 3 }), fc.integer({ min: 0, max: 59_999 }), (minutes, ms) => {
        const at = new Date(NOW.getTime() - minutes * 60_000 - ms).toISOString();
        expect(fastFreshness(at, candidateClock(NOW))).toBe(freshnessOf(at, NOW));
      }),
    );
    for (const edge of [2 * 60, 8 * 60]) {
      const at = minutesAgo(edge);
      expect(fastFreshness(at, candidateClock(NOW))).toBe(freshnessOf(at, NOW));
    }
    expect(fastFreshness('2026-11-21T11:00:00Z', candidateClock(NOW))).toBe('fresh');
    expect(fastFreshness(null, candidateClock(NOW))).toBe('unknown');
  });
});
