// Starts the BullMQ workers of one process. Any number of processes on any number of machines can run them
// against one Redis: all coordination (run state, outstanding jobs, the API gate) lives in Redis.
import { DelayedError, UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { CONTROL_EVENTS, QUEUE_CONTROL, QUEUE_SCAN, QUEUE_SYNC } from '../queue/keys.ts';
import type { ControlJobData, EventsJobData, ScanJobData, SyncJobData } from '../queue/payloads.ts';
import {
  afterEventWrites,
  createControlProcessor,
  releaseEventClaim,
} from '../triggers/control-processor.ts';
import { maybeFinalize } from '../runs/finalize.ts';
import { drainControlJobId, queueOfJobId } from '../runs/job-ids.ts';
import { createContextCache, type RunContext, type WorkerDeps } from './context.ts';
import { createScanProcessor, type ScanPorts } from './scan-processor.ts';
import { Checkpoints } from './checkpoint.ts';
import { SuspectKeys } from './suspect-keys.ts';
import { instrumentCheckpoints } from '../telemetry/instrument.ts';
import { createSyncProcessor, unsyncedItems, type SyncPorts } from './sync-processor.ts';

export type WorkerKind = 'scan' | 'sync' | 'control';
export const WORKER_KINDS: readonly WorkerKind[] = ['scan', 'sync', 'control'];

export interface WorkerPoolOptions {
  /** Which queues this process works (default all three). */
  kinds?: readonly WorkerKind[];
  scanConcurrency?: number;
  /** Listing pages per scan job (default PAGES_PER_JOB) and keys per page (default 1000): tests only. */
  scanPagesPerJob?: number;
  scanPageSize?: number;
  syncConcurrency?: number;
  /**
   * Control jobs at once. Upload-event drains spend their time waiting on HEADs and Redis, so a process runs
   * several; under a backlog each drain starts the next one at once, so the drains in flight follow the
   * backlog up to this many per process.
   */
  controlConcurrency?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** How long a job's lock lives without renewal; a killed worker's jobs are retried after about this long. */
  lockDurationMs?: number;
  /** How often to look for runs whose last job finished but whose finalization was lost (a crash). */
  reapIntervalMs?: number;
}

/** BullMQ's reason for a job failed by the stalled-job check. */
const STALLED = /stalled more than allowable limit/;

/** A run with no job left that is still open after this long lost its finalizer (the worker died in it). */
const REAP_AFTER_MS = 60_000;

export interface WorkerPool {
  contextFor(runId: string): Promise<RunContext>;
  /**
   * Stops taking jobs and waits for the jobs in hand. `force`: waits for nothing (a job in hand is left to
   * its lock's expiry, then to another worker). A graceful close can wait forever after a Redis Cluster
   * failover: BullMQ's blocking connection to the lost master never reports its end (ioredis Cluster stays
   * in status "close"), so it is for when no job is in hand or none can finish.
   */
  close(opts?: { force?: boolean }): Promise<void>;
}

export function startWorkers(deps: WorkerDeps, opts: WorkerPoolOptions = {}): WorkerPool {
  const contextFor = createContextCache(deps);

  function wrap<D extends { runId: string }, R>(
    fn: (job: Job<D>, token?: string) => Promise<R>,
    /** For a job that failed for good: saves what it left undone and says what in the run's error. */
    leftUndone?: (job: Job<D>, why: string) => Promise<string>,
  ): Processor<D, unknown> {
    return async (job, token) => {
      const runId = job.data.runId;
      let result: R | undefined;
      try {
        result = await fn(job, token);
      } catch (err) {
        if (err instanceof DelayedError) throw err;
        const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (!final) throw err;
        // The job will not run again: the run must still end (failed, and without deletions).
        let message = (err as Error).message ?? String(err);
        if (leftUndone) message += await leftUndone(job, message).catch(() => '');
        await deps.runs.recordError(runId, message);
        deps.logger.error({ event: 'job.failed', runId, jobId: job.id, err: message }, 'job failed for good');
        await finishJob(runId, job.id!);
        throw err;
      }
      await finishJob(runId, job.id!);
      return result;
    };
  }

  async function finishJob(runId: string, jobId: string): Promise<void> {
    const left = await deps.runs.donePending(runId, jobId);
    if (left === 0) await maybeFinalize(deps, contextFor, runId);
  }

  const connection = deps.redis;
  const lockOpts = opts.lockDurationMs
    ? {
        lockDuration: opts.lockDurationMs,
        stalledInterval: Math.max(1_000, Math.round(opts.lockDurationMs / 2)),
        maxStalledCount: 5,
      }
    : { maxStalledCount: 5 };
  const prefix = deps.keys.prefix;
  const kinds = new Set(opts.kinds ?? WORKER_KINDS);
  const workers: Worker[] = [];
  if (kinds.has('scan')) {
    const scanPorts: ScanPorts = {
      runs: deps.runs,
      scanQueue: deps.scanQueue,
      syncQueue: deps.syncQueue,
      maxQueuedSyncJobs: deps.maxQueuedSyncJobs,
      ...(opts.scanPagesPerJob !== undefined ? { pagesPerJob: opts.scanPagesPerJob } : {}),
      ...(opts.scanPageSize !== undefined ? { pageSize: opts.scanPageSize } : {}),
    };
    workers.push(
      new Worker<ScanJobData, unknown>(QUEUE_SCAN, wrap(createScanProcessor(scanPorts, contextFor)), {
        connection,
        prefix,
        concurrency: opts.scanConcurrency ?? 4,
        ...lockOpts,
      }),
    );
  }
  if (kinds.has('sync')) {
    const ports: SyncPorts = {
      runs: deps.runs,
      checkpoints: instrumentCheckpoints(new Checkpoints(deps.redis, deps.keys), deps),
      suspects: new SuspectKeys(deps.redis, deps.keys),
      dead: deps.dead,
      syncQueue: deps.syncQueue,
      keys: deps.keys,
      logger: deps.logger,
      afterEventWrites: afterEventWrites(deps),
    };
    // A sync job that failed for good: its undelivered objects go to the dead-letter queue (nothing is
    // lost; `dead-letter requeue` sends them again) and the run's error names them.
    const leftUndone = async (job: Job<SyncJobData>, why: string): Promise<string> => {
      const items = await unsyncedItems(ports, await contextFor(job.data.runId), job);
      if (items.length === 0) return '';
      const run = await deps.runs.binding(job.data.runId);
      const now = Date.now();
      await deps.dead.add(
        items.map((item) => ({
          runId: job.data.runId,
          bindingId: run?.bindingId ?? '',
          item,
          reason: `job failed: ${why}`,
          at: now,
        })),
      );
      await deps.runs.incr(job.data.runId, { rejected: items.length });
      const shown = items.slice(0, 10).map((i) => i.key);
      return (
        `; ${items.length} object(s) not synced (in the dead-letter queue): ${shown.join(', ')}` +
        (items.length > shown.length ? ` and ${items.length - shown.length} more` : '')
      );
    };
    workers.push(
      new Worker<SyncJobData, unknown>(
        QUEUE_SYNC,
        wrap(
          createSyncProcessor(ports, contextFor, {
            ...(opts.retryBaseMs !== undefined ? { retryBaseMs: opts.retryBaseMs } : {}),
            ...(opts.retryCapMs !== undefined ? { retryCapMs: opts.retryCapMs } : {}),
            lockDurationMs: opts.lockDurationMs ?? 30_000,
          }),
          leftUndone,
        ),
        { connection, prefix, concurrency: opts.syncConcurrency ?? 8, ...lockOpts },
      ),
    );
  }
  if (kinds.has('control')) {
    workers.push(
      new Worker<ControlJobData, unknown>(QUEUE_CONTROL, createControlProcessor(deps, contextFor), {
        connection,
        prefix,
        concurrency: opts.controlConcurrency ?? 8,
        ...lockOpts,
      }),
    );
  }
  for (const w of workers) {
    w.on('error', (err) => deps.logger.error({ event: 'worker.error', err: err.message }, 'worker error'));
    if (w.name === QUEUE_CONTROL) {
      // An events drain that failed for good hands its claimed keys back to the binding's set.
      w.on('failed', (job) => {
        if (!job || job.name !== CONTROL_EVENTS || job.attemptsMade < (job.opts.attempts ?? 1)) return;
        void releaseEventClaim(deps, job as Job<EventsJobData>).catch(() => {});
      });
      continue;
    }
    // A job that stalled too often (its workers were killed again and again) is failed by BullMQ's
    // stalled-job check without our processor running. It is put back to work: its checkpoints make every
    // attempt progress, so stalling is no reason to give the objects up. Other final failures (seen by
    // wrap() already) leave the run's pending set here too; doing that twice is harmless.
    w.on('failed', (job, err) => {
      if (!job) return;
      const runId = (job.data as { runId?: string }).runId;
      if (!runId) return;
      if (STALLED.test(err.message)) {
        void job
          .retry('failed')
          .then(() =>
            deps.logger.warn({ event: 'job.stalled.retried', runId, jobId: job.id }, 'stalled job put back'),
          )
          .catch((e: Error) =>
            deps.logger.warn({ event: 'job.stalled.retry', jobId: job.id, err: e.message }, 'retry later'),
          );
        return;
      }
      if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
      void (async () => {
        await deps.runs.recordError(runId, `job ${job.id} failed: ${err.message}`);
        await finishJob(runId, job.id!);
      })().catch((e: Error) =>
        deps.logger.error(
          { event: 'job.failed.bookkeeping', runId, err: e.message },
          'could not record a failed job',
        ),
      );
    });
  }
  // Finalization runs in the worker that finished a run's last job; if that worker died right then, the
  // run would stay "running" forever. Any worker closes such runs.
  const reaper = setInterval(() => {
    void reapOrphanedRuns().catch((err: Error) =>
      deps.logger.warn({ event: 'reaper.error', err: err.message }, 'orphaned-run check failed'),
    );
  }, opts.reapIntervalMs ?? 30_000);
  reaper.unref();

  // Pending ids whose job was missing at the previous pass: missing twice in a row means gone for good
  // (a registration whose add never happened, or a job removed by hand).
  let missingBefore = new Set<string>();

  const queues = {
    [QUEUE_SCAN]: deps.scanQueue,
    [QUEUE_SYNC]: deps.syncQueue,
    [QUEUE_CONTROL]: deps.controlQueue,
  } as const;

  async function reapOrphanedRuns(): Promise<void> {
    const missingNow = new Set<string>();
    for (const runId of await deps.runs.activeRuns()) {
      const run = await deps.runs.get(runId);
      if (!run) {
        await deps.runs.forgetActive(runId);
        continue;
      }
      if (!['running', 'queued'].includes(run.status)) continue;
      if (Date.now() - run.createdAt < REAP_AFTER_MS) continue;
      if (run.pendingJobs > 0 && run.pendingJobs <= 200) {
        for (const jobId of await deps.runs.pendingIds(runId)) {
          const queue = queueOfJobId(jobId);
          const job = await queues[queue].getJob(
            queue === QUEUE_CONTROL ? (drainControlJobId(jobId) ?? jobId) : jobId,
          );
          const state = job ? await job.getState() : 'unknown';
          if (state === 'failed' && job && STALLED.test(job.failedReason ?? '')) {
            // Failed by the stalled-job check in a worker that died before putting it back: do it here.
            await job.retry('failed').catch(() => {});
          } else if (state === 'failed') {
            await deps.runs.recordError(runId, `job ${jobId} failed`);
            await deps.runs.donePending(runId, jobId);
          } else if (state === 'unknown') {
            if (missingBefore.has(jobId)) {
              // Its work never happened: the run must not claim completeness (and must not sweep).
              await deps.runs.recordError(
                runId,
                `job ${jobId} was lost before it ran; the next run covers its objects`,
              );
              await deps.runs.donePending(runId, jobId);
            } else missingNow.add(jobId);
          }
        }
        if ((await deps.runs.pendingCount(runId)) > 0) continue;
      } else if (run.pendingJobs > 0) continue;
      deps.logger.warn(
        { event: 'run.reaped', runId },
        'closing a run whose last jobs or finalizer were lost',
      );
      await maybeFinalize(deps, contextFor, runId);
    }
    missingBefore = missingNow;
  }

  return {
    contextFor,
    async close(closeOpts = {}) {
      clearInterval(reaper);
      await Promise.all(workers.map((w) => w.close(closeOpts.force ?? false)));
    },
  };
}
