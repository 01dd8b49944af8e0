import { describe, expect, it } from 'vitest';
import { readsWorthStarting } from './match-candidates';

describe('how many placement reads a match keeps under way', () => {
  it('every read nearer than the minimum radius, and two more, before any is taken', () => {
    expect(readsWorthStarting(0, 5, 0, 2000)).toBe(7);
    expect(readsWorthStarting(0, 0, 0, 2000)).toBe(2);
  });

  it('beyond those, what the budget still needs at the rate so far, half again', () => {
    // 3 reads gave 300 offerable: 100 a read; 1,700 short → 17 reads, 26 with the margin (capped at 16 by the reader).
    expect(readsWorthStarting(3, 5, 300, 2000)).toBe(2 + 26);
    // A dense directory: one read gave 1,500 → 500 short, one more read (ceil of 0.5 × 1.5).
    expect(readsWorthStarting(1, 1, 1500, 2000)).toBe(1);
    expect(readsWorthStarting(1, 4, 1500, 2000)).toBe(3 + 1);
  });

  it('two once the budget is met (the radius must still be confirmed); all it may while nothing offerable has come', () => {
    expect(readsWorthStarting(6, 4, 2500, 2000)).toBe(2);
    expect(readsWorthStarting(2, 4, 0, 2000)).toBe(Infinity);
  });
});
