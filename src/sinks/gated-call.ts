// One call to a target's API (PAI, IMM) through the Redis-wide API gate (rate and concurrency shared by every worker), with the
// run's guard checked inside the gate, shortly before the call's rate slot (src/queue/gate-timing.ts
// guardLeadMs): a call that waited for a rate slot while the run was cancelled never starts.
//
// Quick retries are safe only where a repeat cannot do anything twice:
//   Throttling   the gateway refused the call before the service saw it: every worker waits out
//                x-acs-retry-after together (gate.penalize), then the same call is sent again;
//   5xx/network  a read (lookup, list) is sent again with jittered backoff; a WRITE is not: its answer may
//                have been lost after the records were written, so it is returned as a failure and the
//                pipeline looks the items up before sending anything again (src/sync/batch-delivery.ts).
import { ApiCallError } from '../pai/errors.ts';
import type { ApiGate } from '../queue/api-gate.ts';
import { backoffMs } from '../queue/backoff.ts';
import type { CallGuard } from './sink.ts';

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ApiCallError };

export interface CallOptions {
  /** Tries in all (default 3). */
  maxTries?: number;
  /** Also retry 5xx and network failures (reads only). */
  idempotent?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function gatedCall<T>(
  gate: ApiGate,
  guard: CallGuard,
  fn: () => Promise<T>,
  opts: CallOptions = {},
): Promise<CallResult<T>> {
  const maxTries = opts.maxTries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const value = await gate.run(fn, { before: guard });
      return { ok: true, value };
    } catch (err) {
      // Anything but an API failure (the guard's StopCalls, a bug) goes up unchanged.
      if (!(err instanceof ApiCallError)) throw err;
      const last = attempt + 1 >= maxTries;
      if (err.kind === 'throttled' && !last) {
        await gate.penalize(err.retryAfterMs ?? backoffMs(attempt, 500, 5_000));
        continue;
      }
      if (err.kind === 'transient' && opts.idempotent && !last) {
        await sleep(backoffMs(attempt, 200, 5_000));
        continue;
      }
      return { ok: false, error: err };
    }
  }
}

/** The same, for callers that want the value or the error thrown (reads inside a larger step). */
export async function gatedCallOrThrow<T>(
  gate: ApiGate,
  guard: CallGuard,
  fn: () => Promise<T>,
  opts: CallOptions = {},
): Promise<T> {
  const r = await gatedCall(gate, guard, fn, opts);
  if (!r.ok) throw r.error;
  return r.value;
}
