import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepBest, MinHeap, smallestK } from './top-k';

describe('smallestK', () => {
  it('equals a full sort cut to k, for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), fc.nat({ max: 320 }), (xs, k) => {
        expect(smallestK(xs, k, (a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b).slice(0, k));
      }),
    );
  });

  it('keepBest equals a full sort cut to k, for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), fc.nat({ max: 60 }), (xs, k) => {
        expect(keepBest(xs, k, (a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b).slice(0, k));
      }),
    );
  });

  it('the heap pops in order', () => {
    const heap = new MinHeap([5, 3, 9, 1, 7], (a, b) => a - b);
    const out: number[] = [];
    while (heap.size) out.push(heap.pop()!);
    expect(out).toEqual([1, 3, 5, 7, 9]);
    expect(heap.pop()).toBeUndefined();
  });
});
