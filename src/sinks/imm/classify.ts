// PURE: turns one batch's send and confirmation into one outcome per item (table-tested in
// test/unit/sinks/imm/classify.test.ts).
//   send refused, fatal (unknown project/dataset, bad parameters)  -> the run stops
//   send throttled                                                  -> retryable, throttled (no retry used)
//   send failed otherwise (5xx, network)                            -> retryable (indexing is an upsert by
//                                                                      URI: resending cannot duplicate)
//   confirmed Indexed                                               -> delivered, id = the escaped key
//   confirmed Failed with IMM's Reason                              -> transient reasons retryable, the
//                                                                      others rejected (dead letter) with it
//   Failed without our labels (may be an older send's failure)      -> retryable whatever the reason
//   not confirmed by the deadline                                   -> retryable, unsure (looked up first)
import type { ApiCallError } from '../../pai/errors.ts';
import type { BatchVerdict, ItemOutcome } from '../outcome.ts';
import type { SinkItem } from '../sink.ts';
import { targetIdOf } from './request.ts';

export type Confirmation =
  | { status: 'indexed' }
  /** unattributed: the failure may belong to an older send of the URI (IMM kept none of our labels). */
  | { status: 'failed'; reason: string; unattributed?: boolean }
  | { status: 'pending' };

export interface ImmAnswer {
  /** Set when BatchIndexFileMeta itself failed. */
  sendError?: ApiCallError;
  /** Per object key; absent keys were never confirmed. */
  results: ReadonlyMap<string, Confirmation>;
  /** How long confirmation waited before giving up on the pending ones (for the reason text). */
  waitedMs: number;
}

/** IMM's index-failure Reasons start with "[Code]"; these codes say "try again". */
const TRANSIENT = /^\[(InternalError|ServiceUnavailable|Throttling[\w.]*|Timeout|RequestTimeout)\]/i;
const PERMANENT = /^\[(ResourceNotFound|InvalidArgument|LimitExceededError|Forbidden[\w.]*|AccessDenied)\]/i;

export function indexFailureOutcome(s: SinkItem, reason: string): ItemOutcome {
  const text = `IMM could not index ${s.facts.key}: ${reason}`;
  if (TRANSIENT.test(reason)) return { kind: 'retryable', item: s.item, reason: text };
  if (PERMANENT.test(reason)) return { kind: 'rejected', item: s.item, reason: text };
  // An unknown reason is retried a bounded number of times, then dead-lettered with its text.
  return { kind: 'retryable', item: s.item, reason: text };
}

export function classifyImm(batch: readonly SinkItem[], answer: ImmAnswer): BatchVerdict {
  const err = answer.sendError;
  if (err) {
    if (err.kind === 'fatal') return { outcomes: [], fatal: err.message };
    return {
      outcomes: batch.map((s): ItemOutcome =>
        err.kind === 'throttled'
          ? {
              kind: 'retryable',
              item: s.item,
              reason: err.message,
              throttled: true,
              ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
            }
          : { kind: 'retryable', item: s.item, reason: err.message },
      ),
    };
  }
  return {
    outcomes: batch.map((s): ItemOutcome => {
      const r = answer.results.get(s.facts.key) ?? { status: 'pending' };
      if (r.status === 'indexed') {
        return { kind: 'delivered', item: s.item, targetId: targetIdOf(s.facts.key), op: s.item.op };
      }
      if (r.status === 'failed' && r.unattributed) {
        return { kind: 'retryable', item: s.item, reason: `IMM could not index ${s.facts.key}: ${r.reason}` };
      }
      if (r.status === 'failed') return indexFailureOutcome(s, r.reason);
      return {
        kind: 'retryable',
        item: s.item,
        reason: `IMM did not confirm the index of ${s.facts.key} within ${Math.round(answer.waitedMs / 1000)} s`,
        unsure: true,
      };
    }),
  };
}
