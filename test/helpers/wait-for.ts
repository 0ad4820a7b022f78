// Waits on a condition, never on the clock: a test that sleeps a fixed time and then checks is a test that
// fails on a busy machine. The deadline is generous on purpose (it only matters when something is broken),
// and the failure says what was awaited and what was last seen.

export interface WaitForOptions {
  /** Give up after this long; generous, since it only bounds a broken run. Default 120 s. */
  timeoutMs?: number;
  /** Pause between checks. Default 25 ms. */
  intervalMs?: number;
  /** What is awaited, for the failure message ("3 runs completed"). */
  what?: string;
  /** The state to show when it times out (called once, at the end). */
  describe?: () => unknown;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves with the first truthy value `check` returns (sync or async). A check that throws is retried: the
 * last error is part of the timeout message.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  opts: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      let seen = '';
      if (opts.describe) {
        try {
          seen = `; last seen: ${JSON.stringify(await opts.describe())}`;
        } catch (err) {
          seen = `; describe() failed: ${String(err)}`;
        }
      }
      const why = lastError ? `; last check threw: ${String(lastError)}` : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'a condition'}${why}${seen}`,
      );
    }
    await sleep(intervalMs);
  }
}
