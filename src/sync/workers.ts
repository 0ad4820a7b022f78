// Starts the BullMQ workers of one process. Any number of processes on any number of machines can run them
// against one Redis: all coordination (run state, outstanding jobs, the API gate) lives in Redis.
import { DelayedError, UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { CONTROL_EVENTS, QUEUE_CONTROL, QUEUE_SCAN, QUEUE_SYNC } from '../queue/keys.ts';
import type { ControlJobData, EventsJobData, ScanJobData, SyncJobData } from '../queue/payloads.ts';
import { createControlProcessor, releaseEventClaim } from '../triggers/control-processor.ts';
import { maybeFinalize } from '../runs/finalize.ts';
import { createContextCache, type RunContext, type WorkerDeps } from './context.ts';
import { createScanProcessor } from './scan-processor.ts';
import { createSyncProcessor } from './sync-processor.ts';

export type WorkerKind = 'scan' | 'sync' | 'control';
export const WORKER_KINDS: readonly WorkerKind[] = ['scan', 'sync', 'control'];

export interface WorkerPoolOptions {
  /** Which queues this process works (default all three). */
  kinds?: readonly WorkerKind[];
  scanConcurrency?: number;
  syncConcurrency?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** How long a job's lock lives without renewal; a killed worker's jobs are retried after about this long. */
  lockDurationMs?: number;
  /** How often to look for runs whose last job finished but whose finalization was lost (a crash). */
  reapIntervalMs?: number;
}

/** A run with no job left that is still open after this long lost its finalizer (the worker died in it). */
const REAP_AFTER_MS = 60_000;

export interface WorkerPool {
  contextFor(runId: string): Promise<RunContext>;
  close(): Promise<void>;
}

export function startWorkers(deps: WorkerDeps, opts: WorkerPoolOptions = {}): WorkerPool {
  const contextFor = createContextCache(deps);

  function wrap<D extends { runId: string }, R>(
    fn: (job: Job<D>, token?: string) => Promise<R>,
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
        const message = (err as Error).message ?? String(err);
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
    workers.push(
      new Worker<ScanJobData, unknown>(QUEUE_SCAN, wrap(createScanProcessor(deps, contextFor)), {
        connection,
        prefix,
        concurrency: opts.scanConcurrency ?? 4,
        ...lockOpts,
      }),
    );
  }
  if (kinds.has('sync')) {
    workers.push(
      new Worker<SyncJobData, unknown>(
        QUEUE_SYNC,
        wrap(
          createSyncProcessor(deps, contextFor, {
            ...(opts.retryBaseMs !== undefined ? { retryBaseMs: opts.retryBaseMs } : {}),
            ...(opts.retryCapMs !== undefined ? { retryCapMs: opts.retryCapMs } : {}),
          }),
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
        concurrency: 2,
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
    // A job that stalled too often is failed by BullMQ's stalled-job check, without our processor running:
    // it must still leave the run's pending set. (Failures our processor saw are handled in wrap(); doing it
    // twice is harmless.)
    w.on('failed', (job, err) => {
      if (!job) return;
      const final =
        /stalled more than allowable limit/.test(err.message) || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (!final) return;
      const runId = (job.data as { runId?: string }).runId;
      if (!runId) return;
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

  async function reapOrphanedRuns(): Promise<void> {
    const missingNow = new Set<string>();
    for (const runId of await deps.runs.list(50)) {
      const run = await deps.runs.get(runId);
      if (!run || !['running', 'queued'].includes(run.status)) continue;
      if (Date.now() - run.createdAt < REAP_AFTER_MS) continue;
      if (run.pendingJobs > 0 && run.pendingJobs <= 200) {
        for (const jobId of await deps.runs.pendingIds(runId)) {
          const queue = jobId.includes('.s.') ? deps.scanQueue : deps.syncQueue;
          const state = await queue.getJobState(jobId);
          if (state === 'failed') {
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
    async close() {
      clearInterval(reaper);
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
