// The API gate's timing decisions, as pure functions (src/queue/api-gate.ts applies them):
//  - the schedule's spacing and the send window, which together keep calls below a service limit counted
//    over any 1-s window (sliding) or per whole second (fixed): PAI documents neither;
//  - how early before its rate slot a call runs its guard (the run-status and job-lock checks), so that the
//    guard's Redis round trips do not delay the send past the slot;
//  - how a call waiting for a concurrency slot backs off between polls.

/**
 * The schedule aims this share of apiRps: calls leave 1/(rps x RATE_HEADROOM) apart, so any apiRps + 1
 * consecutive calls span 1000 / RATE_HEADROOM = 1020 ms. The 20 ms are the jitter a call may have between
 * its admission and its arrival at the service before the service could count apiRps + 1 calls in 1 s.
 */
export const RATE_HEADROOM = 0.98;

/**
 * The send window: at most apiRps calls are admitted (right before they leave) in any SEND_WINDOW_MS, on
 * Redis's clock, across all workers. It is the schedule's own span, so it never delays calls that leave on
 * time; it holds back the call apiRps after one that left late (a starved process sends after its slot,
 * then on time again: without the window the two would reach the service less than 1 s apart).
 */
export const SEND_WINDOW_MS = Math.ceil(1000 / RATE_HEADROOM);

/** Milliseconds between two rate slots; 0 = unlimited (penalties still apply). */
export function rateIntervalMs(rps: number): number {
  return rps > 0 ? 1000 / (rps * RATE_HEADROOM) : 0;
}

/** Guard durations remembered per gate to size the lead. */
export const GUARD_SAMPLES = 16;
export const GUARD_LEAD_MIN_MS = 10;
/** Never check the run's status earlier than this before the call leaves. */
export const GUARD_LEAD_MAX_MS = 250;

/**
 * How long before its slot a call starts its guard: twice the slowest of the recent guards, so that the
 * guard has ended when the slot comes (a guard that ends late delays the send, which the send window then
 * absorbs at the cost of rate), within [GUARD_LEAD_MIN_MS, GUARD_LEAD_MAX_MS].
 */
export function guardLeadMs(recentGuardMs: readonly number[]): number {
  const slowest = recentGuardMs.reduce((m, v) => Math.max(m, v), 0);
  return Math.min(GUARD_LEAD_MAX_MS, Math.max(GUARD_LEAD_MIN_MS, Math.ceil(2 * slowest)));
}

/** Poll back-off of a call waiting for a concurrency slot (a call that ends hands its slot over at once). */
export function nextPollMs(previousMs: number): number {
  return Math.min(previousMs * 2, 100);
}
export const FIRST_POLL_MS = 5;
