// Level 1 of the two retry levels: a few quick retries of ONE call, through the shared gate. Throttling
// penalizes the gate (every worker slows down) for the service's retry-after; 5xx and network errors back
// off with jitter. What still fails goes back to the job level (requeue with backoff), never loops here.
import type { ApiGate } from '../queue/api-gate.ts';
import { backoffMs } from '../queue/backoff.ts';
import { ApiCallError } from './errors.ts';

export interface CallRetryOptions {
  maxTries: number;
  baseMs: number;
  onRetry?: (err: ApiCallError) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function callWithRetry<T>(
  gate: ApiGate,
  fn: () => Promise<T>,
  opts: CallRetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await gate.run(fn);
    } catch (err) {
      if (!(err instanceof ApiCallError) || err.kind === 'fatal' || attempt + 1 >= opts.maxTries) throw err;
      opts.onRetry?.(err);
      if (err.kind === 'throttled') {
        const wait = err.retryAfterMs ?? backoffMs(attempt, 500, 5_000);
        await gate.penalize(wait);
      } else {
        await sleep(backoffMs(attempt, opts.baseMs, 5_000));
      }
    }
  }
}

/** The same policy without a gate, for one-off calls outside the pipeline (dataset lookup and creation). */
export async function retryApiCall<T>(fn: () => Promise<T>, maxTries = 5): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ApiCallError) || err.kind === 'fatal' || attempt + 1 >= maxTries) throw err;
      await sleep(
        err.kind === 'throttled'
          ? (err.retryAfterMs ?? backoffMs(attempt, 500, 5_000))
          : backoffMs(attempt, 200, 5_000),
      );
    }
  }
}
