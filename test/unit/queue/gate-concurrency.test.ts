// The API gate's concurrency decisions: the cap a setting allows, and the slots that hold apiRps at the
// latency observed (Little's law with a margin), as tables.
import { describe, expect, it } from 'vitest';
import {
  AUTO_MAX_CONCURRENCY,
  AUTO_UNLIMITED_CONCURRENCY,
  MIN_LATENCY_SAMPLES,
  concurrencyCap,
  concurrencyFor,
  p90,
} from '../../../src/queue/gate-concurrency.ts';

const same = (ms: number, n = 10) => Array.from({ length: n }, () => ms);

describe('concurrencyCap', () => {
  it.each([
    ['auto', 20, AUTO_MAX_CONCURRENCY],
    ['auto', 10, AUTO_MAX_CONCURRENCY],
    ['auto', 0, AUTO_UNLIMITED_CONCURRENCY],
    [8, 20, 8],
    [8, 0, 8],
    [1, 10, 1],
  ] as const)('setting %s with apiRps %d: at most %d', (setting, rps, cap) => {
    expect(concurrencyCap(setting, rps)).toBe(cap);
  });
});

describe('p90', () => {
  it.each([
    [[], 0],
    [[7], 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 9],
    // 20 samples: the 18th smallest; two outliers above it do not move it.
    [[...same(100, 18), 5_000, 9_000], 100],
    // 3 of 20 high: the p90 sees them.
    [[...same(100, 17), 400, 500, 600], 400],
  ])('p90 of %j is %d', (samples, expected) => {
    expect(p90(samples)).toBe(expected);
  });
});

describe('concurrencyFor', () => {
  it.each([
    // The starved machine: a call held its slot about 455 ms; 20/s needs 9.1 in flight, 15 with margin.
    { rps: 20, cap: 32, busyMs: same(455), slots: 15 },
    // An idle machine and the emulator: a few ms per call, 2 slots hold 20/s.
    { rps: 20, cap: 32, busyMs: same(8), slots: 2 },
    // The real PAI at the default apiRps 10, 300 ms per call over the network.
    { rps: 10, cap: 32, busyMs: same(300), slots: 6 },
    // Never above the cap (an explicit apiConcurrency), however slow the calls.
    { rps: 20, cap: 4, busyMs: same(455), slots: 4 },
    { rps: 20, cap: 32, busyMs: same(5_000), slots: 32 },
    // Instant calls still get one slot and one spare.
    { rps: 20, cap: 32, busyMs: same(0), slots: 1 },
    { rps: 1, cap: 32, busyMs: same(1), slots: 2 },
    // A cap of 1 is 1.
    { rps: 20, cap: 1, busyMs: same(455), slots: 1 },
    // apiRps 0: no rate to hold, the cap.
    { rps: 0, cap: 4, busyMs: same(455), slots: 4 },
    // Too few samples to judge: the cap (the rate schedule holds the rate meanwhile).
    { rps: 20, cap: 32, busyMs: same(8, MIN_LATENCY_SAMPLES - 1), slots: 32 },
    { rps: 20, cap: 32, busyMs: same(8, MIN_LATENCY_SAMPLES), slots: 2 },
    // It follows the p90, not the mean: 10% of slow calls are enough to size for them.
    { rps: 20, cap: 32, busyMs: [...same(20, 8), 400, 400], slots: 13 },
    { rps: 20, cap: 32, busyMs: [...same(20, 18), 400, 400], slots: 2 },
  ])('rps $rps, cap $cap: $slots slots', ({ rps, cap, busyMs, slots }) => {
    expect(concurrencyFor({ rps, cap, busyMs })).toBe(slots);
  });
});
