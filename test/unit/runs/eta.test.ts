// The ETA of a multi-range run: it counts the writes still to do, and falls while the run speeds up.
import { expect, it } from 'vitest';
import { estimateEtaSeconds } from '../../../src/runs/report.ts';
import type { RunRecord } from '../../../src/runs/run-types.ts';
import { testRun, zeroCounters } from './fixtures.ts';

const T0 = Date.UTC(2024, 0, 1);

function running(at: { partitions: number; done: number; listed: number; settled: number }): RunRecord {
  return testRun({
    status: 'running',
    startedAt: T0,
    counters: {
      ...zeroCounters(),
      partitions: at.partitions,
      partitionsDone: at.done,
      listed: at.listed,
      created: at.settled,
    },
  });
}

it.each([
  ['no range listed yet', { partitions: 10, done: 0, listed: 500, settled: 100 }, 10, undefined],
  ['nothing settled yet', { partitions: 10, done: 2, listed: 500, settled: 0 }, 10, undefined],
  // 5 of 10 ranges gave 10,000 objects -> about 20,000; 4,000 settled in 10 s -> 16,000 at 400/s.
  ['half the ranges listed', { partitions: 10, done: 5, listed: 10_000, settled: 4_000 }, 10, 40],
  // Every range listed, but 6,000 of 20,000 writes still to do: not "done".
  ['listing over, writes left', { partitions: 10, done: 10, listed: 20_000, settled: 14_000 }, 35, 15],
  ['everything settled', { partitions: 10, done: 10, listed: 20_000, settled: 20_000 }, 50, 0],
])('%s', (_name, at, seconds, eta) => {
  expect(estimateEtaSeconds(running(at), T0 + seconds * 1000)).toBe(eta);
});

it('does not grow while the run speeds up', () => {
  // 20,000 objects in 10 ranges; the write rate doubles every 10 s (100, 200, 400, 800 objects/s).
  let settled = 0;
  let last = Infinity;
  for (const [t, rate] of [
    [10, 100],
    [20, 200],
    [30, 400],
    [40, 800],
  ] as const) {
    settled += rate * 10;
    const listed = Math.min(20_000, settled * 2);
    const done = Math.min(10, Math.floor(listed / 2_000));
    const eta = estimateEtaSeconds(running({ partitions: 10, done, listed, settled }), T0 + t * 1000)!;
    expect(eta).toBeLessThanOrEqual(last);
    last = eta;
  }
});

it('a finished or single-range run has no ETA', () => {
  expect(
    estimateEtaSeconds(
      { ...running({ partitions: 10, done: 5, listed: 1, settled: 1 }), status: 'completed' },
      T0 + 1000,
    ),
  ).toBeUndefined();
  expect(
    estimateEtaSeconds(running({ partitions: 1, done: 0, listed: 10, settled: 5 }), T0 + 1000),
  ).toBeUndefined();
});
