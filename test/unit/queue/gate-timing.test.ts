// The API gate's timing decisions (pure): schedule spacing, the send window, the guard's lead, poll back-off.
import { describe, expect, it } from 'vitest';
import {
  GUARD_LEAD_MAX_MS,
  GUARD_LEAD_MIN_MS,
  RATE_HEADROOM,
  SEND_WINDOW_MS,
  guardLeadMs,
  nextPollMs,
  rateIntervalMs,
} from '../../../src/queue/gate-timing.ts';

describe('gate timing', () => {
  it.each([
    { rps: 0, want: 0 },
    { rps: 20, want: 1000 / 19.6 },
    { rps: 10, want: 1000 / 9.8 },
    { rps: 3, want: 1000 / 2.94 },
  ])('rate interval at rps $rps', ({ rps, want }) => {
    expect(rateIntervalMs(rps)).toBeCloseTo(want, 9);
  });

  it.each([1, 3, 10, 20, 100])(
    'rps %i: rps + 1 slots span the send window, so calls on time are never held back by it',
    (rps) => {
      const span = rps * rateIntervalMs(rps);
      expect(span).toBeGreaterThanOrEqual(SEND_WINDOW_MS - 1);
      expect(span).toBeLessThanOrEqual(SEND_WINDOW_MS);
      expect(SEND_WINDOW_MS).toBeGreaterThan(1000);
      expect(RATE_HEADROOM).toBeLessThan(1);
    },
  );

  it.each([
    { samples: [], want: GUARD_LEAD_MIN_MS },
    { samples: [1, 2, 3], want: GUARD_LEAD_MIN_MS },
    { samples: [4, 30, 12], want: 60 },
    { samples: [10.2], want: 21 },
    { samples: [40, 900], want: GUARD_LEAD_MAX_MS },
  ])('guard lead for recent guards $samples', ({ samples, want }) => {
    expect(guardLeadMs(samples)).toBe(want);
  });

  it.each([
    { prev: 5, want: 10 },
    { prev: 40, want: 80 },
    { prev: 80, want: 100 },
    { prev: 100, want: 100 },
  ])('poll back-off after $prev ms', ({ prev, want }) => {
    expect(nextPollMs(prev)).toBe(want);
  });
});
