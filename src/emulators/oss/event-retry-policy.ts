// When the emulator's notifier retries a delivery, modelled on MNS's NotifyStrategy for HTTP push:
//   BACKOFF_RETRY (MNS's default): 3 retries, each after a random 10..20 s;
//   EXPONENTIAL_DECAY_RETRY: 176 retries after 1, 2, 4, ... 512 s, then 512 s each (one day in all).
// A delivery fails when the receiver does not answer 2xx within 5 s (any other status, a network
// error or the timeout), as MNS decides. Times are multiplied by `scale` (default 1/100 in the
// emulator) so a test or a load test does not wait minutes; scale 1 gives MNS's real timing.

export type EventRetryPolicy = 'backoff' | 'exponential';

export const EXPONENTIAL_RETRIES = 176;
export const BACKOFF_RETRIES = 3;

/** Whether an HTTP answer counts as delivered (MNS: 200..299). */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Wait before retry number `retry` (1-based) in ms, or undefined when the policy gives up.
 * `random` in [0, 1) is injectable so tables can pin the backoff window.
 */
export function retryDelayMs(
  policy: EventRetryPolicy,
  retry: number,
  scale: number,
  random: () => number = Math.random,
): number | undefined {
  if (retry < 1) return 0;
  if (policy === 'backoff') {
    if (retry > BACKOFF_RETRIES) return undefined;
    return Math.round((10_000 + random() * 10_000) * scale);
  }
  if (retry > EXPONENTIAL_RETRIES) return undefined;
  return Math.round(Math.min(512, 2 ** (retry - 1)) * 1000 * scale);
}
