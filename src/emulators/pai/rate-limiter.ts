// Requests per second, counted the way a gateway may count them. Alibaba Cloud does not document whether
// PAI's limit is a sliding 1-second window or a count per whole second of its clock, so the emulator has
// both (option `rateWindow`, admin `/-/admin/rate-window`) and a client must be correct against either:
//  - sliding (default): at most rps requests in any 1 s; a burst can never get 2x the limit across a second
//    boundary, and the wait it reports is exact: the time until the oldest admitted request leaves the window;
//  - fixed: at most rps requests per whole second (floor(now / 1000)); up to 2x rps can pass within 1 s
//    across a boundary, and the wait is the time to the next second.
const WINDOW_MS = 1000;

export type RateWindow = 'sliding' | 'fixed';
export const RATE_WINDOWS: readonly RateWindow[] = ['sliding', 'fixed'];

export interface RateLimiter {
  setRps(rps: number): void;
  /** Admits the request (returns 0) or returns the milliseconds to wait before one would be admitted. */
  tryAcquire(nowMs: number): number;
}

export class SlidingWindowLimiter implements RateLimiter {
  private rps: number;
  private readonly admitted: number[] = [];
  private head = 0;

  constructor(rps: number) {
    this.rps = rps;
  }

  setRps(rps: number): void {
    this.rps = rps;
  }

  tryAcquire(nowMs: number): number {
    if (this.rps <= 0) return 0;
    while (this.head < this.admitted.length && (this.admitted[this.head] ?? 0) <= nowMs - WINDOW_MS)
      this.head++;
    // Compact now and then so the queue does not grow without bound.
    if (this.head > 1024) {
      this.admitted.splice(0, this.head);
      this.head = 0;
    }
    const inWindow = this.admitted.length - this.head;
    if (inWindow < this.rps) {
      this.admitted.push(nowMs);
      return 0;
    }
    // The request that must leave the window before this one fits.
    const blocker = this.admitted[this.admitted.length - this.rps] ?? nowMs;
    return Math.max(1, blocker + WINDOW_MS - nowMs);
  }
}

export class FixedWindowLimiter implements RateLimiter {
  private rps: number;
  private second = -1;
  private count = 0;

  constructor(rps: number) {
    this.rps = rps;
  }

  setRps(rps: number): void {
    this.rps = rps;
  }

  tryAcquire(nowMs: number): number {
    if (this.rps <= 0) return 0;
    const second = Math.floor(nowMs / WINDOW_MS);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
    }
    if (this.count < this.rps) {
      this.count++;
      return 0;
    }
    return Math.max(1, (second + 1) * WINDOW_MS - nowMs);
  }
}

export function createRateLimiter(window: RateWindow, rps: number): RateLimiter {
  return window === 'fixed' ? new FixedWindowLimiter(rps) : new SlidingWindowLimiter(rps);
}
