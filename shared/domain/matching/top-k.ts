/**
 * The `k` smallest items under `compare`, in order, without sorting everything: heapify is O(n)
 * and each of the k pops O(log n). Ranking 100k candidates to return 20 spends its time scoring,
 * not sorting.
 */
export function smallestK<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0 || items.length === 0) return [];
  if (k >= items.length / 4) return [...items].sort(compare).slice(0, k);
  const heap = new MinHeap(items, compare);
  const out: T[] = [];
  while (out.length < k && heap.size > 0) out.push(heap.pop()!);
  return out;
}

/** A binary min-heap built in place over a copy of `items`. */
export class MinHeap<T> {
  private readonly a: T[];

  constructor(
    items: readonly T[],
    private readonly compare: (a: T, b: T) => number,
  ) {
    this.a = items.slice();
    for (let i = (this.a.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.a.length;
  }

  peek(): T | undefined {
    return this.a[0];
  }

  pop(): T | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const a = this.a;
    const n = a.length;
    const item = a[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.compare(a[r]!, a[l]!) < 0 ? r : l;
      if (this.compare(a[child]!, item) >= 0) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = item;
  }
}

/**
 * The `k` smallest items under `compare`, in order, in one pass with a bounded buffer: O(n) for a
 * small k, no copy of the input. Used where k is a handful (the nearest excluded programs) or a
 * page (the explained ones) and n can be 100k.
 */
export function keepBest<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  const best: T[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && compare(item, best[at - 1]!) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
