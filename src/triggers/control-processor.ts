// Control jobs: a cron tick (start a run of a binding, or queue ONE follow-up when a run is active) and the
// drain of a binding's upload events (re-check each key with HEAD, then write what the bucket has now).
import type { Job } from 'bullmq';
import pLimit from 'p-limit';
import { buildConfig } from '../config/load.ts';
import { callWithRetry } from '../pai/call-retry.ts';
import { CONTROL_EVENTS } from '../queue/keys.ts';
import type { ControlJobData, EventsJobData, SyncItem, TickJobData } from '../queue/payloads.ts';
import { newRunId } from '../runs/run-store.ts';
import { BindingBusyError, resolveDatasetId, startRun, toRunBinding } from '../runs/start-run.ts';
import type { RunContext, WorkerDeps } from '../sync/context.ts';
import { etagToFingerprint } from '../sync/fingerprint/etag.ts';
import { SYNC_JOB_OPTS } from '../queue/payloads.ts';
import { scheduleEventsDrain } from './event-sink.ts';

/** Upload events drained per control job; the rest wait for the next one. */
export const EVENTS_PER_JOB = 1000;

export function createControlProcessor(deps: WorkerDeps, contextFor: (runId: string) => Promise<RunContext>) {
  async function tick(job: Job<TickJobData>) {
    const config = buildConfig(job.data.config, {}, {});
    const api = await deps.makeDatasetApi(
      { ...config.target, datasetId: config.target.datasetId ?? '' },
      config.source,
    );
    const binding = toRunBinding(config, await resolveDatasetId(deps, api, config));
    try {
      const runId = await startRun(deps, binding, { kind: job.data.kind });
      return { runId };
    } catch (err) {
      if (!(err instanceof BindingBusyError)) throw err;
      // At most one queued follow-up per binding: a later tick overwrites, it does not add another.
      await deps.redis.set(deps.keys.bindingNext(binding.bindingId), JSON.stringify(job.data));
      deps.logger.info(
        { event: 'tick.deferred', bindingId: binding.bindingId, activeRun: err.activeRunId },
        'run active: follow-up queued',
      );
      return { deferred: err.activeRunId };
    }
  }

  async function events(job: Job<EventsJobData>) {
    const { bindingId } = job.data;
    const setKey = deps.keys.bindingEvents(bindingId);
    const keys = ((await deps.redis.spop(setKey, EVENTS_PER_JOB)) as string[] | null) ?? [];
    if (keys.length === 0) return { keys: 0 };
    try {
      const config = buildConfig(job.data.config, {}, {});
      const api = await deps.makeDatasetApi(
        { ...config.target, datasetId: config.target.datasetId ?? '' },
        config.source,
      );
      const binding = toRunBinding(config, await resolveDatasetId(deps, api, config));
      const runId = newRunId();
      await deps.runs.create(runId, 'events', binding);
      // Event runs never list the bucket, so they must never sweep.
      await deps.runs.markIncomplete(runId);
      const ctx = await contextFor(runId);
      const limit = pLimit(16);
      const items: SyncItem[] = [];
      const gone: Array<{ member: string; metaId: string }> = [];
      let unchanged = 0;
      await Promise.all(
        keys.map((key) =>
          limit(async () => {
            // Events may repeat and arrive out of order: what the bucket has NOW decides.
            const head = ctx.filter(key) ? await ctx.store.head(key) : undefined;
            const s = await ctx.state.get(key);
            if (!head) {
              if (s) gone.push({ member: s.member, metaId: s.metaId });
              return;
            }
            const etag = etagToFingerprint(head.etag);
            if (s && s.etag === etag && s.size === head.size && s.lastModified === head.lastModified) {
              unchanged++;
              return;
            }
            items.push({
              key,
              size: head.size,
              etag,
              lastModified: head.lastModified,
              ...(s
                ? { op: 'update' as const, metaId: s.metaId, prevMember: s.member }
                : { op: 'create' as const }),
            });
          }),
        ),
      );
      for (let i = 0; i < gone.length; i += 100) {
        const chunk = gone.slice(i, i + 100);
        await callWithRetry(
          ctx.gate,
          () =>
            ctx.api.deleteFileMetas(
              binding.target,
              chunk.map((g) => g.metaId),
            ),
          { maxTries: 4, baseMs: 300 },
        );
        await ctx.state.remove(chunk.map((g) => g.member));
      }
      const jobIds: string[] = [];
      for (let i = 0; i < items.length; i += 1000) jobIds.push(`${runId}.e.${i / 1000}`);
      await deps.runs.addPending(runId, jobIds);
      await deps.syncQueue.addBulk(
        jobIds.map((jobId, n) => ({
          name: 'sync',
          data: { runId, items: items.slice(n * 1000, (n + 1) * 1000), attempt: 0 },
          opts: { ...SYNC_JOB_OPTS, jobId },
        })),
      );
      await deps.runs.incr(runId, {
        listed: keys.length,
        unchanged,
        deleted: gone.length,
        apiCalls: Math.ceil(gone.length / 100),
      });
      if (jobIds.length === 0) await deps.runs.setStatus(runId, 'completed');
      return { keys: keys.length, runId };
    } catch (err) {
      // Nothing may be lost: put the keys back for the next attempt.
      await deps.redis.sadd(setKey, ...keys);
      throw err;
    } finally {
      // A backlog larger than one job drains through follow-up jobs.
      if ((await deps.redis.scard(setKey)) > 0) await scheduleEventsDrain(deps.controlQueue, job.data);
    }
  }

  return async function processControl(job: Job<ControlJobData>) {
    if (job.name === CONTROL_EVENTS) return events(job as Job<EventsJobData>);
    return tick(job as Job<TickJobData>);
  };
}
