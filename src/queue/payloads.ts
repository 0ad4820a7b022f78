// Typed job payloads. Job data never holds secrets: only ids, keys and listing facts.

/** A disjoint key range of the source, listed page by page. Bounds are exclusive. */
export interface Partition {
  id: string;
  /** Exclusive lower bound (OSS start-after). */
  after?: string;
  /** Exclusive upper bound: listing stops at the first key >= before. */
  before?: string;
}

export interface ScanJobData {
  runId: string;
  partition: Partition;
  page: number;
  continuationToken?: string;
  /** Last key of the previous page (exclusive lower bound of this page's state range). */
  lastKey?: string;
  /**
   * The page at which this job chains the next job (exclusive). Saved with the job's progress, so a retried
   * job hands over at the same page whatever its worker's pages-per-job setting.
   */
  until?: number;
}

export type ItemOp = 'create' | 'update';

export interface SyncItem {
  key: string;
  size: number;
  /** Listing ETag without quotes. */
  etag: string;
  lastModified: number;
  op: ItemOp;
  /** For updates: the record id and the state member it replaces. */
  metaId?: string;
  prevMember?: string;
  /** Requeues after retryable failures (bounded by maxRetries). */
  tries?: number;
  /** Requeues because PAI throttled: they slow the pipeline down but do not use up `tries`. */
  throttles?: number;
  /** A write of this item may have been applied without our knowing (lost answer): look it up first. */
  unsure?: boolean;
}

export interface SyncJobData {
  runId: string;
  items: SyncItem[];
  /** How many times these items were requeued after a retryable failure. */
  attempt: number;
  /** Re-check each object with a HEAD before writing (upload-event jobs queued by earlier versions). */
  recheck?: boolean;
  /**
   * Items of an upload-event drain, which HEADed them (once, after taking observation number `seen`): after
   * its writes the job puts back into the drain's backlog the keys a later drain has looked at since
   * (src/triggers/observed-marks.ts).
   */
  events?: { drain: EventsJobData; seen: number };
}

/** Job options every product job carries: bounded retention keeps Redis memory flat on long backfills. */
export const JOB_RETENTION = {
  removeOnComplete: { age: 3600, count: 2000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const;

/** A request to start a run of a binding (cron tick, or the follow-up of a tick that found a run active). */
export interface TickJobData {
  /** Flat camelCase config of the binding: no secrets (credentials come from the worker's environment). */
  config: Record<string, unknown>;
  schedule?: string;
  kind: 'scheduled' | 'sync';
}

/** Upload events of one binding are waiting in a Redis set; this job drains it. */
export interface EventsJobData {
  bindingId: string;
  config: Record<string, unknown>;
  /** The grouping window: follow-up drains reuse it, so a long burst stays a handful of jobs. */
  debounceMs: number;
}

export type ControlJobData = TickJobData | EventsJobData;

/** Listing pages: network errors and 5xx are retried by BullMQ with backoff; permanent ones end the run. */
export const SCAN_JOB_OPTS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  ...JOB_RETENTION,
} as const;

/**
 * Sync jobs carry up to 1,000 items (~150 KB): keep few finished ones, so queue memory stays bounded on a
 * long backfill. Re-adding a removed job id creates no duplicate: the writer turns a create of an existing Uri
 * into an update.
 */
const SYNC_RETENTION = {
  removeOnComplete: { age: 600, count: 100 },
  removeOnFail: { age: 7 * 24 * 3600, count: 500 },
} as const;

/** Sync jobs: item-level failures are handled inside (follow-up jobs); attempts cover infrastructure errors. */
export const SYNC_JOB_OPTS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  ...SYNC_RETENTION,
} as const;
