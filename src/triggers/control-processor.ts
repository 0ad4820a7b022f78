// Control jobs: a cron tick (start a run of a binding, or queue ONE follow-up when a run is active) and the
// drain of a binding's upload events (re-check each key with HEAD, then write what the bucket has now).
import type { Job } from 'bullmq';
import pLimit from 'p-limit';
import { buildConfig } from '../config/load.ts';
import { maybeFinalize } from '../runs/finalize.ts';
import { drainJobId, eventRunId, eventSyncJobId } from '../runs/job-ids.ts';
import { CONTROL_EVENTS } from '../queue/keys.ts';
import type { ControlJobData, EventsJobData, SyncItem, SyncJobData, TickJobData } from '../queue/payloads.ts';
import { BindingBusyError, resolveDatasetId, startRun, toRunBinding } from '../runs/start-run.ts';
import type { RunContext, WorkerDeps } from '../sync/context.ts';
import { etagToFingerprint } from '../sync/fingerprint/etag.ts';
import { SYNC_JOB_OPTS } from '../queue/payloads.ts';
import { ensureStateBeforeDrain } from './drain-recovery.ts';
import { EventBacklog } from './event-backlog.ts';
import { ObservedMarks } from './observed-marks.ts';
import { scheduleEventsDrain } from './event-sink.ts';

/** Upload events drained per control job; the rest wait for the next one. */
export const EVENTS_PER_JOB = 1000;
/** HEADs in flight per drain. */
const HEADS_IN_FLIGHT = 32;
/** Items per sync job of a drain: one PAI write call each, so a drain's writes run side by side. */
const SYNC_ITEMS_PER_JOB = 1000;
const CLAIM_TTL_S = 7 * 24 * 3600;

export function eventClaimKey(deps: Pick<WorkerDeps, 'keys'>, job: Job<EventsJobData>): string {
  return `${deps.keys.bindingEvents(job.data.bindingId)}:claim:${job.id}`;
}

/** Puts a job's claimed keys back into its binding's set (the job failed for good). */
export async function releaseEventClaim(
  deps: Pick<WorkerDeps, 'keys' | 'redis'>,
  job: Job<EventsJobData>,
): Promise<void> {
  const claimKey = eventClaimKey(deps, job);
  const keys = await deps.redis.smembers(claimKey);
  await new EventBacklog(deps.redis, deps.keys.bindingEvents(job.data.bindingId)).add(keys);
  await deps.redis.del(claimKey);
}

/**
 * After a sync job of upload-event items wrote them: the keys a later drain has looked at since this job's
 * drain HEADed them go back to the backlog (with a drain to take them), so that what the bucket has now wins
 * over what was seen then (a deleted object's record goes, a newer version is written again).
 */
export function afterEventWrites(deps: Pick<WorkerDeps, 'redis' | 'keys' | 'controlQueue'>) {
  return async (events: NonNullable<SyncJobData['events']>, keys: string[]): Promise<void> => {
    const backlog = new EventBacklog(deps.redis, deps.keys.bindingEvents(events.drain.bindingId));
    const since = await new ObservedMarks(deps.redis, backlog.key).since(keys, events.seen);
    if (since.length === 0) return;
    await backlog.add(since);
    await scheduleEventsDrain(deps.controlQueue, events.drain);
  };
}

export function createControlProcessor(deps: WorkerDeps, contextFor: (runId: string) => Promise<RunContext>) {
  async function tick(job: Job<TickJobData>) {
    const config = buildConfig(job.data.config, {}, {});
    const api = await deps.makeDatasetApi(
      { ...config.target, datasetId: config.target.datasetId ?? '' },
      config.source,
    );
    const binding = toRunBinding(config, await resolveDatasetId(deps, api, config));
    // Two rounds: if the active run ends between our failed start and our follow-up note, nobody would read
    // the note, so after writing it we look again and start the run ourselves when the binding is free.
    for (let round = 0; round < 2; round++) {
      try {
        const runId = await startRun(deps, binding, { kind: job.data.kind });
        return { runId };
      } catch (err) {
        if (!(err instanceof BindingBusyError)) throw err;
        // At most one queued follow-up per binding: a later tick overwrites it, it does not add another.
        const nextKey = deps.keys.bindingNext(binding.bindingId);
        await deps.redis.set(nextKey, JSON.stringify(job.data));
        if (await deps.redis.get(deps.keys.bindingActive(binding.bindingId))) {
          deps.logger.info(
            { event: 'tick.deferred', bindingId: binding.bindingId, activeRun: err.activeRunId },
            'run active: follow-up queued',
          );
          return { deferred: err.activeRunId };
        }
        // The run ended meanwhile: take the note back and try again.
        if (!(await deps.redis.getdel(nextKey))) return { deferred: err.activeRunId };
      }
    }
    return { deferred: 'busy' };
  }

  async function events(job: Job<EventsJobData>) {
    const { bindingId } = job.data;
    const backlog = new EventBacklog(deps.redis, deps.keys.bindingEvents(bindingId));
    const claimKey = eventClaimKey(deps, job);
    // The oldest keys move atomically from the binding's backlog to this job's own set: a crash loses
    // nothing, the retry of this job finds them there.
    let keys = await deps.redis.smembers(claimKey);
    if (keys.length === 0) keys = await backlog.claim(claimKey, EVENTS_PER_JOB, CLAIM_TTL_S);
    if (keys.length === 0) return { keys: 0 };
    // Drains scale with the backlog: while more keys wait than this job took, the next drain starts now,
    // alongside this one, instead of after it (up to the control workers' concurrency).
    const left = await backlog.size();
    if (left > 0) await scheduleEventsDrain(deps.controlQueue, job.data, { now: left >= EVENTS_PER_JOB });
    try {
      const config = buildConfig(job.data.config, {}, {});
      const api = await deps.makeDatasetApi(
        { ...config.target, datasetId: config.target.datasetId ?? '' },
        config.source,
      );
      const binding = toRunBinding(config, await resolveDatasetId(deps, api, config));
      // Never on a lost state: rebuilt first, under the binding's lock (drain-recovery.ts).
      await ensureStateBeforeDrain(deps, binding);
      // The same run id on a retry of this job; the job itself is pending in the run until the end, so the
      // run cannot be closed while its HEADs are still running.
      const runId = eventRunId(job.timestamp, job.id!);
      const selfId = drainJobId(runId);
      await deps.runs.create(runId, 'events', binding);
      // Event runs never list the bucket, so they must never sweep.
      await deps.runs.markIncomplete(runId);
      await deps.runs.addPending(runId, [selfId]);
      const ctx = await contextFor(runId);
      const limit = pLimit(HEADS_IN_FLIGHT);
      const marks = new ObservedMarks(deps.redis, backlog.key);
      const items: SyncItem[] = [];
      const gone: Array<{ key: string; member: string; metaId: string }> = [];
      let unchanged = 0;
      // Before the HEADs: a drain that looks at one of these keys after us takes a greater number, and
      // whatever we write or delete then hands the key back (observed-marks.ts).
      const seen = await marks.observe(keys);
      // Every key's state in one round trip, not one each while the HEADs run.
      const known = await ctx.state.getMany(keys);
      await Promise.all(
        keys.map((key, i) =>
          limit(async () => {
            // Events may repeat and arrive out of order: what the bucket has NOW decides.
            const head = ctx.filter(key) ? await ctx.store.head(key) : undefined;
            const s = known[i];
            if (!head) {
              if (s) gone.push({ key, member: s.member, metaId: s.metaId });
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
      let deleted = 0;
      for (let i = 0; i < gone.length; i += 100) {
        const chunk = gone.slice(i, i + 100);
        const outcome = await ctx.sink.remove(
          chunk.map((g) => g.metaId),
          async () => {},
        );
        const goneIds = new Set(outcome.gone);
        await ctx.state.remove(chunk.filter((g) => goneIds.has(g.metaId)).map((g) => g.member));
        deleted += outcome.gone.length;
        // Not deleted: the key goes back to the binding's set, so a later drain tries again. Deleted: back
        // too if another drain looked at it since our HEAD (it may have written what we just deleted).
        const deletedKeys = chunk.filter((g) => goneIds.has(g.metaId)).map((g) => g.key);
        const retry = chunk.filter((g) => !goneIds.has(g.metaId)).map((g) => g.key);
        const again = [...retry, ...(await marks.since(deletedKeys, seen))];
        if (again.length > 0) await backlog.add(again);
      }
      const jobIds: string[] = [];
      for (let i = 0; i < items.length; i += SYNC_ITEMS_PER_JOB)
        jobIds.push(eventSyncJobId(runId, i / SYNC_ITEMS_PER_JOB));
      await deps.runs.addPending(runId, jobIds);
      await deps.syncQueue.addBulk(
        jobIds.map((jobId, n) => ({
          name: 'sync',
          // No second HEAD: the sync job writes what this drain saw, and after its writes hands back the keys
          // a later drain has looked at meanwhile (observed-marks.ts).
          data: {
            runId,
            items: items.slice(n * SYNC_ITEMS_PER_JOB, (n + 1) * SYNC_ITEMS_PER_JOB),
            attempt: 0,
            events: { drain: job.data, seen },
          },
          opts: { ...SYNC_JOB_OPTS, jobId },
        })),
      );
      await deps.runs.incr(runId, {
        listed: keys.length,
        unchanged,
        deleted,
        apiCalls: Math.ceil(gone.length / 100),
      });
      await deps.redis.del(claimKey);
      if ((await deps.runs.donePending(runId, selfId)) === 0) await maybeFinalize(deps, contextFor, runId);
      return { keys: keys.length, runId };
    } catch (err) {
      // On the last attempt the keys go back to the binding's set rather than wait in a dead job's claim.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await releaseEventClaim(deps, job);
      throw err;
    } finally {
      // Keys that arrived (or came back) while this job ran get a drain; deduplicated with any already due.
      if ((await backlog.size()) > 0) await scheduleEventsDrain(deps.controlQueue, job.data);
    }
  }

  return async function processControl(job: Job<ControlJobData>) {
    if (job.name === CONTROL_EVENTS) return events(job as Job<EventsJobData>);
    return tick(job as Job<TickJobData>);
  };
}
