// The sink boundary: what the pipeline needs from a target that holds one record per object (the PAI
// dataset API today, Intelligent Media Management next). Nothing outside src/sinks/<target>/ knows which
// target a binding writes to; the pipeline (src/sync/batch-delivery.ts) drives every sink the same way:
//
//   batches(items)                  cut a job's items into calls, deterministically (checkpoints count batches)
//   [intent recorded in Redis]      so a retry knows this batch may already be in the target
//   send(batch, guard)              the write call(s); API failures are returned, not thrown
//   confirm(batch, sent, guard)     sync targets: the answer itself; async ones: poll until it is known
//   classify(batch, answer)         PURE: one ItemOutcome per item, or fatal for the run
//   lookup(keys, guard)             what the target holds for these objects (resolving unfinished intents)
//   remove(ids, guard)              delete records (sweep, extra copies, upload events of deleted objects)
//   list(guard)                     every record, page by page (state rebuild, verify)
//
// `guard` is called right before every API call: it counts the call and throws when the run was paused or
// cancelled (or the job lost its lock), so that no new call starts after `run cancel` returns.
import type { SyncItem } from '../queue/payloads.ts';
import type { BatchVerdict } from './outcome.ts';

/** Target-neutral facts of one object: what every sink turns into its own record. */
export interface ObjectFacts {
  bucket: string;
  key: string;
  size: number;
  /** Last-Modified, ms since the epoch. */
  lastModified: number;
  fingerprint: string;
  contentType: string;
  /** Top-level MIME type (image, text, ...). */
  fileType: string;
}

/** One object of a batch: the pipeline's item (op, state member, retry counters) and its fresh facts. */
export interface SinkItem {
  item: SyncItem;
  facts: ObjectFacts;
}

/** What a target holds for one object, as far as the pipeline cares. */
export interface TargetRecord {
  targetId: string;
  key: string;
  fingerprint?: string;
  size?: number;
  /** The record's object modification time, ms (the target's resolution: PAI keeps whole seconds). */
  updateTime?: number;
}

/** Called before every API call; throws to stop (run paused/cancelled, job lock lost). */
export type CallGuard = () => Promise<void>;

export interface Sink<Sent = unknown, Answer = unknown> {
  /** 'pai', 'imm': for logs and metrics only. */
  readonly name: string;
  /** Cuts items into batches of one call each. Must depend on the items alone (a retried job cuts alike). */
  batches(items: readonly SyncItem[]): SyncItem[][];
  /** Sends one batch. Never throws for an API failure: the failure is part of `Sent` for classify. */
  send(batch: readonly SinkItem[], guard: CallGuard): Promise<Sent>;
  /** Waits until the outcome of a sent batch is known (PAI: at once; IMM: polls until a deadline). */
  confirm(batch: readonly SinkItem[], sent: Sent, guard: CallGuard): Promise<Answer>;
  /** Pure: the outcome of every item of the batch (same order not required, every item exactly once). */
  classify(batch: readonly SinkItem[], answer: Answer): BatchVerdict;
  /** Pure: whether a record the target holds already describes these facts (adopt it, do not write). */
  isCurrent(record: TargetRecord, facts: ObjectFacts): boolean;
  /** Every live record the target holds for each key (a key absent from the map has none). Throws on failure. */
  lookup(keys: readonly string[], guard: CallGuard): Promise<Map<string, TargetRecord[]>>;
  /** Deletes records; an id the target no longer has counts as gone. Throws when the call failed. */
  remove(ids: readonly string[], guard: CallGuard): Promise<{ gone: string[]; failed: string[] }>;
  /** Every live record, a page at a time. */
  list(guard: CallGuard): AsyncGenerator<TargetRecord[]>;
}

/** The error a guard throws to stop a batch before its next call. */
export class StopCalls extends Error {
  constructor(readonly why: 'paused' | 'stopped' | 'lock-lost') {
    super(`no new call: ${why}`);
    this.name = 'StopCalls';
  }
}
