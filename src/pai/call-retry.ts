// Quick retries of one-off PAI calls made outside the pipeline (reading or creating the dataset at start).
// Pipeline calls go through the API gate instead: src/sinks/gated-call.ts.
import { backoffMs } from '../queue/backoff.ts';
import { ApiCallError } from './errors.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries for one-off calls outside the pipeline (dataset lookup and creation), which go through no gate. */
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
