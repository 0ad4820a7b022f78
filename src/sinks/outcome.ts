// The one outcome vocabulary of the pipeline, for every target. Per item a batch ends in exactly one of:
//   delivered  the target holds the item as described (with its id there): write the state, count it
//   retryable  not done, may succeed later: requeue the item alone (backoff), bounded by maxRetries
//   rejected   the target refused it for a reason retrying cannot fix: dead-letter it with the reason
// plus, for a whole batch, `fatal`: the call itself was refused (credentials, parameters): stop the run.
import type { SyncItem } from '../queue/payloads.ts';

/**
 * How a retryable item should be sent next time (healing):
 *   update  the target already holds a record for this object (e.g. "already exists"): update that record;
 *           without a targetId the record is looked up first
 *   create  the record the state points at is gone (e.g. update answered "Not Found"): create it again
 */
export type Heal = { op: 'update'; targetId?: string } | { op: 'create' };

export type ItemOutcome =
  | {
      kind: 'delivered';
      item: SyncItem;
      /** The record's id in the target (PAI: DatasetFileMetaId). */
      targetId: string;
      op: 'create' | 'update';
      /**
       * Records the target held for this object when it was adopted after a lost answer (1 normally; more
       * when copies were found, which the pipeline then removes). Counted as created.
       */
      copies?: number;
    }
  | {
      kind: 'retryable';
      item: SyncItem;
      reason: string;
      /** The target asked us to slow down: does not use up the item's retries. */
      throttled?: boolean;
      retryAfterMs?: number;
      /** The write may have been applied (lost answer, 5xx): look the item up before sending it again. */
      unsure?: boolean;
      heal?: Heal;
    }
  | { kind: 'rejected'; item: SyncItem; reason: string };

export interface BatchVerdict {
  outcomes: ItemOutcome[];
  /** Set when the batch's call was refused for a reason that stops the whole run. */
  fatal?: string;
}
