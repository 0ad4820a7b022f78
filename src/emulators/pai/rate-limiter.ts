// Requests per second over a sliding 1-second window. A sliding window (not a fixed per-second bucket)
// means a burst can never get 2x the limit across a second boundary, and the wait it reports is exact:
// the time until the oldest admitted request leaves the window.
const WINDOW_MS = 1000;

export class SlidingWindowLimiter {
  private rps: number;
  private readonly admitted: number[] = [];
  private head = 0;

  constructor(rps: number) {
    this.rps = rps;
  }

  setRps(rps: number): void {
    this.rps = rps;
  }

  /** Admits the request (returns 0) or returns the milliseconds to wait before one would be admitted. */
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
