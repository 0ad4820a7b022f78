// How many PAI calls the API gate lets be in flight at once. Little's law: holding R calls/s when each call
// keeps its slot L seconds needs R x L slots. A fixed 4 held 20 calls/s only while a call took under 200 ms;
// with the CPU starved (two busy loops on two cores) a call kept its slot about 455 ms, so 4 slots capped the
// rate at 8.8 calls/s whatever the rate schedule did. The gate therefore sizes the concurrency from the
// latency it observes, under a cap: `apiConcurrency` N (at most N) or `auto`.
// The rate is never the concurrency's job: the schedule and the send-time window (api-gate.ts) hold apiRps,
// whatever number of slots this returns.

export type ConcurrencySetting = number | 'auto';

/** `auto` with a rate: the most slots the adaptive limit may grow to (20 calls/s at 1 s per call, and more). */
export const AUTO_MAX_CONCURRENCY = 32;
/** `auto` without a rate (apiRps 0): there is no rate to hold, so no latency to size for; the former default. */
export const AUTO_UNLIMITED_CONCURRENCY = 4;
/** Slots beyond R x p90 latency: latency varies call to call, and a slot held while waiting is not sending. */
export const LATENCY_MARGIN = 1.5;
/** Latencies kept (the most recent ones), and how many are needed before they decide anything. */
export const LATENCY_SAMPLES = 32;
export const MIN_LATENCY_SAMPLES = 5;

/** The most calls in flight the setting allows. */
export function concurrencyCap(setting: ConcurrencySetting, rps: number): number {
  if (setting !== 'auto') return setting;
  return rps > 0 ? AUTO_MAX_CONCURRENCY : AUTO_UNLIMITED_CONCURRENCY;
}

/** The 90th percentile (nearest rank) of the samples; 0 for none. */
export function p90(samples: readonly number[]): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]!;
}

/**
 * Slots to allow now: ceil(rps x p90 busy seconds x margin) + 1, between 1 and the cap. `busyMs` are the
 * times recent calls held their slot, less the time the gate itself made them wait for the rate. Until a
 * few calls were seen, the cap (the rate schedule holds the rate meanwhile). Without a rate, the cap.
 */
export function concurrencyFor(o: { rps: number; cap: number; busyMs: readonly number[] }): number {
  if (o.rps <= 0 || o.busyMs.length < MIN_LATENCY_SAMPLES) return o.cap;
  const needed = Math.ceil(((o.rps * p90(o.busyMs)) / 1000) * LATENCY_MARGIN) + 1;
  return Math.max(1, Math.min(o.cap, needed));
}
