// Sync job: a list of BATCHES (cut by the sink, the same way on every attempt). For each batch, in order:
//   run status checked        pause/cancel take effect here, between batches (and before every call)
//   fingerprint               only this batch's objects (a retried job does not redo finished batches)
//   deliver                   intent recorded, then send -> confirm -> classify through the sink
//                             (src/sync/batch-delivery.ts), resolving a batch whose intent was unfinished
//   nextStep + checkpoint     state, counters, requeued items and dead letters in ONE atomic Redis step
// When the job ends, the items its batches requeued go into ONE follow-up job (backoff with jitter; only the
// retry-after when every one of them was throttled).
import { DelayedError, type Job } from 'bullmq';
import type { Queue } from 'bullmq';
import { backoffMs } from '../queue/backoff.ts';
import type { Keys } from '../queue/keys.ts';
import { SYNC_JOB_OPTS, type SyncItem, type SyncJobData } from '../queue/payloads.ts';
import type { DeadLetterStore } from '../runs/dead-letter.ts';
import { retryJobId } from '../runs/job-ids.ts';
import type { RunStore } from '../runs/run-store.ts';
import { nextStep } from '../sinks/next-step.ts';
import type { ItemOutcome } from '../sinks/outcome.ts';
import { StopCalls, type CallGuard } from '../sinks/sink.ts';
import type { Logger } from '../telemetry/logger.ts';
import { deliverBatch, type BatchResult } from './batch-delivery.ts';
import type { Checkpoints } from './checkpoint.ts';
import type { SuspectKeys } from './suspect-keys.ts';
import type { RunContext } from './context.ts';
import { fingerprintItems, type Fingerprinted } from './fingerprinter.ts';
import { gateOnRunStatus, PAUSE_POLL_MS } from './run-gate.ts';

export interface SyncJobResult {
  delivered: number;
  retried: number;
  rejected: number;
}

/** What the sync processor uses, and nothing more. */
export interface SyncPorts {
  runs: Pick<
    RunStore,
    | 'status'
    | 'setStatus'
    | 'isDone'
    | 'addPending'
    | 'markIncomplete'
    | 'addDeleteCandidates'
    | 'incr'
    | 'recordError'
  >;
  checkpoints: Checkpoints;
  suspects: Pick<SuspectKeys, 'add'>;
  dead: Pick<DeadLetterStore, 'add'>;
  syncQueue: Pick<Queue<SyncJobData>, 'add'>;
  keys: Pick<Keys, 'run' | 'deadLetter'>;
  logger: Logger;
  /**
   * After the writes of a job of upload-event items: puts back into the backlog the keys a later drain has
   * looked at since their drain's HEADs (src/triggers/observed-marks.ts). Absent: nothing is checked.
   */
  afterEventWrites?: (events: NonNullable<SyncJobData['events']>, keys: string[]) => Promise<void>;
}

export interface SyncProcessorOptions {
  retryBaseMs?: number;
  retryCapMs?: number;
  /** The workers' lock duration: the guard extends the job's lock by this much before every call. */
  lockDurationMs?: number;
}

const NONE: SyncJobResult = { delivered: 0, retried: 0, rejected: 0 };

/** The items of a job not yet checkpointed (for the report of a job that failed for good). */
export async function unsyncedItems(
  ports: Pick<SyncPorts, 'checkpoints'>,
  ctx: Pick<RunContext, 'sink'>,
  job: Job<SyncJobData>,
): Promise<SyncItem[]> {
  const { done } = await ports.checkpoints.read(job.id!);
  const left = ctx.sink.batches(job.data.items).slice(done).flat();
  return [...left, ...(await ports.checkpoints.requeued(job.id!)).items];
}

export function createSyncProcessor(
  ports: SyncPorts,
  contextFor: (runId: string) => Promise<RunContext>,
  opts: SyncProcessorOptions = {},
) {
  const retryBaseMs = opts.retryBaseMs ?? 1_000;
  const retryCapMs = opts.retryCapMs ?? 60_000;
  const lockMs = opts.lockDurationMs ?? 30_000;

  return async function processSync(job: Job<SyncJobData>, token?: string): Promise<SyncJobResult> {
    const { runId, items, attempt } = job.data;
    const jobId = job.id!;
    if ((await gateOnRunStatus(ports.runs, job, token, runId)) === 'skip') return NONE;
    // A job re-added after it finished (its record was removed by retention) has nothing left to do.
    if (await ports.runs.isDone(runId, jobId)) return NONE;
    const ctx = await contextFor(runId);
    const { binding, sink } = ctx;
    const o = binding.options;

    const pause = async (): Promise<never> => {
      await job.moveToDelayed(Date.now() + PAUSE_POLL_MS, token);
      throw new DelayedError();
    };
    // Before every API call: no call starts once the run is paused or has ended, nor after this worker
    // lost the job (its lock expired: another worker may be running it).
    const guard: CallGuard = async () => {
      const status = await ports.runs.status(runId);
      if (status === 'paused') throw new StopCalls('paused');
      if (status !== 'running' && status !== 'queued') throw new StopCalls('stopped');
      if (token && Number(await job.extendLock(token, lockMs)) !== 1) throw new StopCalls('lock-lost');
      await ports.runs.incr(runId, { apiCalls: 1 });
    };

    const batches = sink.batches(items);
    const progress = await ports.checkpoints.read(jobId);
    const where = {
      stateKey: ctx.state.key,
      runKey: ports.keys.run(runId),
      deadKey: ports.keys.deadLetter(),
    };
    const total = { ...NONE };
    let fatal: string | undefined;

    for (let n = progress.done; n < batches.length; n++) {
      const status = await ports.runs.status(runId);
      if (status === 'paused') await pause();
      if (status !== 'running' && status !== 'queued') break;

      const fps = await fingerprintItems(ctx.store, batches[n]!, {
        bucket: binding.source.bucket,
        mode: o.fingerprint,
        concurrency: o.fingerprintConcurrency,
        ...(job.data.recheck ? { recheck: true } : {}),
      });
      const ready: Fingerprinted[] = [];
      const vanished: SyncItem[] = [];
      const notRead: ItemOutcome[] = [];
      for (const f of fps) {
        if (f.ok) ready.push(f.value);
        else if (f.vanished) vanished.push(f.item);
        else notRead.push({ kind: 'retryable', item: f.item, reason: f.reason });
      }

      // Another execution of this job may be writing the same batch right now (this one's lock expired
      // while its call was in flight, or the other's did). Whichever of them writes without its outcome
      // being the batch's checkpoint leaves its keys for the end-of-run check of late copies.
      let wrote = false;
      const batchKeys = () => ready.map((f) => f.facts.key);
      let result: BatchResult;
      try {
        result = await deliverBatch(sink, ready, {
          resolveFirst: progress.intent === n,
          guard,
          beforeWrite: async () => {
            await ports.checkpoints.markIntent(jobId, n);
            wrote = true;
          },
          beforeLookup: (keys) => ports.suspects.add(runId, keys),
        });
      } catch (err) {
        if (!(err instanceof StopCalls)) throw err;
        if (err.why === 'paused') await pause();
        if (err.why === 'stopped') break;
        if (wrote) await ports.suspects.add(runId, batchKeys());
        throw new Error(`job ${jobId} lost its lock to another worker; it continues there`);
      }

      const step = nextStep({
        runId,
        bindingId: binding.bindingId,
        now: Date.now(),
        maxRetries: o.maxRetries,
        outcomes: [...result.outcomes, ...notRead],
        vanished,
        duplicatesRemoved: result.duplicatesRemoved,
        ...(result.fatal ? { fatal: result.fatal } : {}),
      });
      if (o.delete && step.deleteCandidates.length > 0)
        await ports.runs.addDeleteCandidates(runId, step.deleteCandidates, o.maxDelete + 1);
      if (await ports.checkpoints.apply(jobId, n, step, where)) {
        total.delivered += step.counters.created + step.counters.updated;
        total.retried += step.counters.retried;
        total.rejected += step.counters.rejected;
      } else if (wrote) await ports.suspects.add(runId, batchKeys());
      if (step.fatal) {
        fatal = step.fatal;
        break;
      }
    }

    const requeued = await ports.checkpoints.requeued(jobId);
    if (requeued.items.length > 0 && fatal) {
      const now = Date.now();
      await ports.dead.add(
        requeued.items.map((item) => ({
          runId,
          bindingId: binding.bindingId,
          item,
          reason: `run stopped: ${fatal}`,
          at: now,
        })),
      );
      await ports.runs.incr(runId, { rejected: requeued.items.length, retried: -requeued.items.length });
    } else if (requeued.items.length > 0) {
      const followUp = retryJobId(jobId, attempt + 1);
      await ports.runs.addPending(runId, [followUp]);
      await ports.syncQueue.add(
        'sync',
        {
          runId,
          items: requeued.items,
          attempt: attempt + 1,
          ...(job.data.recheck ? { recheck: true } : {}),
          ...(job.data.events ? { events: job.data.events } : {}),
        },
        {
          ...SYNC_JOB_OPTS,
          jobId: followUp,
          delay: Math.max(
            requeued.retryAfterMs,
            backoffMs(requeued.backoff ? attempt : 0, retryBaseMs, retryCapMs),
          ),
        },
      );
    }
    if (fatal) {
      await ports.runs.setStatus(runId, 'failed', { error: `the target refused a call: ${fatal}` });
      await ports.runs.markIncomplete(runId);
      ports.logger.error({ event: 'run.fatal', runId, reason: fatal }, 'run stopped by a target error');
    }
    // Every key of the job, written in this attempt or an earlier one (a retry after a crash between the
    // last checkpoint and here checks again): a false alarm costs one HEAD, a missed one a stale record.
    if (job.data.events && ports.afterEventWrites) {
      await ports.afterEventWrites(
        job.data.events,
        items.map((i) => i.key),
      );
    }
    await ports.checkpoints.finish(jobId);
    return total;
  };
}
