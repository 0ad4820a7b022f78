// batchByLimits: count limit, byte limit (with room for the request envelope), oversize items alone.
import { describe, expect, it } from 'vitest';
import { batchByLimits } from '../../../src/sync/batcher.ts';

/** Items are their own sizes, so a test reads as "sizes in, batches out". */
const id = (n: number) => n;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
// The batcher reserves this much for {"WorkspaceId":..,"DatasetFileMetas":[...]} and one byte per item for the comma.
const ENVELOPE = 256;

describe('batchByLimits', () => {
  it('returns no batches for no items', () => {
    expect(batchByLimits([], 100, 1_000_000, id)).toEqual([]);
  });

  it('never calls size for no items', () => {
    let calls = 0;
    batchByLimits([], 10, 1000, () => ++calls);
    expect(calls).toBe(0);
  });

  it('splits by the count limit, keeping order', () => {
    const items = range(7).map(() => 1);
    const batches = batchByLimits(range(7), 3, 1_000_000, (i) => items[i]!);
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('puts everything in one batch when under both limits', () => {
    expect(batchByLimits([1, 2, 3], 100, 1_000_000, id)).toEqual([[1, 2, 3]]);
  });

  it('fills a batch up to exactly the byte limit and not one byte over', () => {
    // Three items of 10 bytes (+1 separator each) fill ENVELOPE + 33 exactly.
    const max = ENVELOPE + 33;
    expect(batchByLimits([10, 10, 10, 10], 100, max, id)).toEqual([[10, 10, 10], [10]]);
    expect(batchByLimits([10, 10, 10, 10], 100, max - 1, id)).toEqual([
      [10, 10],
      [10, 10],
    ]);
  });

  it('applies whichever limit is hit first', () => {
    const max = ENVELOPE + 5 * 101;
    // Byte limit first: five 100-byte items per batch although the count limit is 10.
    expect(
      batchByLimits(
        range(12).map(() => 100),
        10,
        max,
        id,
      ).map((b) => b.length),
    ).toEqual([5, 5, 2]);
    // Count limit first.
    expect(
      batchByLimits(
        range(12).map(() => 100),
        2,
        max,
        id,
      ).map((b) => b.length),
    ).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('sends a single item larger than the byte limit alone rather than dropping it', () => {
    const batches = batchByLimits([5, 10_000, 5], 100, 1000, id);
    expect(batches).toEqual([[5], [10_000], [5]]);
  });

  it('sends an oversize first item alone too', () => {
    expect(batchByLimits([10_000, 5, 5], 100, 1000, id)).toEqual([[10_000], [5, 5]]);
  });

  it('keeps every item exactly once and in order', () => {
    const sizes = range(250).map((i) => (i * 37) % 400);
    const batches = batchByLimits(sizes, 13, 2000, id);
    expect(batches.flat()).toEqual(sizes);
    for (const b of batches) {
      expect(b.length).toBeGreaterThan(0);
      expect(b.length).toBeLessThanOrEqual(13);
      // A batch with more than one item never exceeds the byte limit.
      if (b.length > 1) expect(ENVELOPE + b.reduce((s, n) => s + n + 1, 0)).toBeLessThanOrEqual(2000);
    }
  });
});
