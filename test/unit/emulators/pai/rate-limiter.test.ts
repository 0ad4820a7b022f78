// The PAI emulator's two ways of counting its limit (PAI documents neither): table tests on an injected clock.
import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateWindow } from '../../../../src/emulators/pai/rate-limiter.ts';

/** Each request at its time (ms): 0 = admitted, else the wait the limiter answered. */
function replay(window: RateWindow, rps: number, times: number[]): number[] {
  const l = createRateLimiter(window, rps);
  return times.map((t) => l.tryAcquire(t));
}

describe('emulator rate limiter', () => {
  const cases: Array<{ what: string; window: RateWindow; rps: number; times: number[]; want: number[] }> = [
    {
      what: 'sliding: the third call within 1 s waits for the first to leave the window',
      window: 'sliding',
      rps: 2,
      times: [0, 10, 20, 1000, 1009, 1010],
      want: [0, 0, 980, 0, 1, 0],
    },
    {
      what: 'sliding: no more than rps in any 1 s, across a second boundary too',
      window: 'sliding',
      rps: 2,
      times: [990, 995, 1005, 1990],
      want: [0, 0, 985, 0],
    },
    {
      what: 'fixed: rps per whole second; across a boundary 2 x rps pass within 10 ms',
      window: 'fixed',
      rps: 2,
      times: [990, 995, 998, 1000, 1005, 1010],
      want: [0, 0, 2, 0, 0, 990],
    },
    {
      what: 'fixed: a new second starts empty',
      window: 'fixed',
      rps: 1,
      times: [0, 999, 1000, 2500, 2501],
      want: [0, 1, 0, 0, 499],
    },
    { what: 'rps 0 is unlimited', window: 'fixed', rps: 0, times: [0, 0, 0], want: [0, 0, 0] },
    { what: 'rps 0 is unlimited (sliding)', window: 'sliding', rps: 0, times: [0, 0, 0], want: [0, 0, 0] },
  ];
  it.each(cases)('$what', ({ window, rps, times, want }) => {
    expect(replay(window, rps, times)).toEqual(want);
  });
});
