// backoffMs: exponential with full jitter in [exp/2, exp], capped; the random source is injected.
import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/queue/backoff.ts';

const low = () => 0;
const high = () => 1;
const mid = () => 0.5;

describe('backoffMs', () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [5, 3200],
  ])('attempt %d with base 100 has a ceiling of %d ms', (attempt, exp) => {
    expect(backoffMs(attempt, 100, 1_000_000, high)).toBe(exp);
    expect(backoffMs(attempt, 100, 1_000_000, low)).toBe(exp / 2);
    expect(backoffMs(attempt, 100, 1_000_000, mid)).toBe((exp * 3) / 4);
  });

  it('caps the delay', () => {
    expect(backoffMs(20, 100, 5000, high)).toBe(5000);
    expect(backoffMs(20, 100, 5000, low)).toBe(2500);
  });

  it('stays finite and capped for huge attempt numbers', () => {
    expect(backoffMs(5000, 100, 60_000, high)).toBe(60_000);
  });

  it('treats a negative attempt as the first one', () => {
    expect(backoffMs(-3, 100, 10_000, high)).toBe(100);
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(backoffMs(3, 7, 10_000, () => 0.3333))).toBe(true);
  });

  it('spreads retries with the real random source, always within [exp/2, exp]', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(3, 100, 1_000_000);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
      seen.add(d);
    }
    // Jitter: 200 draws over 400 possible values do not collapse to a handful.
    expect(seen.size).toBeGreaterThan(20);
  });
});
