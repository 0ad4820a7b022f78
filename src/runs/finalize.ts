// Run completion: when no job of the run is outstanding, exactly one worker sweeps and closes the run.
// The sweep deletes records whose object was not seen, only after a COMPLETE scan, only when delete is on,
// and refuses outright when it would delete more than maxDelete (a wrong prefix must not empty a dataset).
import { CONTROL_TICK } from '../queue/keys.ts';
import { JOB_RETENTION, type TickJobData } from '../queue/payloads.ts';
import { ApiCallError } from '../pai/errors.ts';
import type { RunContext, WorkerDeps } from '../sync/context.ts';
import { decodeMember } from '../sync/state-store.ts';
import { SuspectKeys } from '../sync/suspect-keys.ts';
import { removeLateCopies } from './late-copies.ts';
import type { RunRecord } from './run-types.ts';
import { bindingLock } from './start-run.ts';

const DELETE_BATCH = 100;
// A record of an object modified this close to (or after) the run's start may have been written by an
// upload-event sync after the scan listed that key range. Such "young" candidates are re-checked with a HEAD
// and deleted only if the object is really gone (or no longer selected by the include/exclude globs).
const RACE_MARGIN_MS = 5_000;

export interface SweepResult {
  deleted: number;
  failed: number;
  error?: string;
}

export async function sweep(deps: WorkerDeps, ctx: RunContext, run: RunRecord): Promise<SweepResult> {
  const o = ctx.binding.options;
  if (run.deleteCandidates > o.maxDelete) {
    return {
      deleted: 0,
      failed: 0,
      error:
        `refusing to delete ${run.deleteCandidatesSeen} records: more than maxDelete (${o.maxDelete}). ` +
        'Check the bucket and prefix; if the deletions are intended, rerun with a larger --max-delete.',
    };
  }
  let deleted = 0;
  let failed = 0;
  for await (const batch of deps.runs.deleteCandidates(run.runId)) {
    // Keep only candidates still in the state exactly as the scan saw them, and not possibly newer than the scan.
    const live: { member: string; metaId: string }[] = [];
    const scores = await Promise.all(batch.map((c) => deps.redis.zscore(ctx.state.key, c.member)));
    await Promise.all(
      batch.map(async (c, i) => {
        const e = decodeMember(c.member);
        if (scores[i] === null || !e) return;
        if (
          e.lastModified >= run.createdAt - RACE_MARGIN_MS &&
          ctx.filter(e.key) &&
          (await ctx.store.head(e.key))
        )
          return;
        live.push({ member: c.member, metaId: e.metaId });
      }),
    );
    for (let i = 0; i < live.length; i += DELETE_BATCH) {
      const chunk = live.slice(i, i + DELETE_BATCH);
      try {
        const outcome = await ctx.sink.remove(
          chunk.map((c) => c.metaId),
          async () => deps.runs.incr(run.runId, { apiCalls: 1 }),
        );
        const goneIds = new Set(outcome.gone);
        const gone = chunk.filter((c) => goneIds.has(c.metaId)).map((c) => c.member);
        failed += outcome.failed.length;
        await ctx.state.remove(gone);
        deleted += gone.length;
      } catch (err) {
        if (!(err instanceof ApiCallError)) throw err;
        failed += chunk.length;
      }
    }
  }
  return { deleted, failed };
}

export async function maybeFinalize(
  deps: WorkerDeps,
  contextFor: (runId: string) => Promise<RunContext>,
  runId: string,
): Promise<void> {
  if ((await deps.runs.pendingCount(runId)) > 0) return;
  if (!(await deps.runs.claimFinalize(runId))) return;
  const run = await deps.runs.get(runId);
  if (!run) return;
  const binding = run.binding;
  if (run.status === 'running' || run.status === 'queued' || run.status === 'paused') {
    let error = run.error;
    let deleted = 0;
    // Before anything else: copies of records written by calls that landed after the lookup meant to
    // catch them (src/sync/suspect-keys.ts). Whatever the run's outcome, it must not leave them behind.
    const suspects = new SuspectKeys(deps.redis, deps.keys);
    try {
      const ctx = (await suspects.any(runId)) ? await contextFor(runId) : undefined;
      const late =
        ctx &&
        (await removeLateCopies(ctx, suspects, runId, async () => deps.runs.incr(runId, { apiCalls: 1 })));
      if (late && late.removed > 0) {
        await deps.runs.incr(runId, {
          created: late.removed,
          deleted: late.removed,
          duplicatesRemoved: late.removed,
        });
        deps.logger.warn(
          { event: 'run.late-copies', runId, checked: late.checked, removed: late.removed },
          'removed copies written after their lookup',
        );
      }
      if (late && late.failed > 0 && !error)
        error = `${late.failed} extra record(s) could not be deleted; run verify --fix`;
    } catch (err) {
      if (!error) error = `the check for extra copies failed: ${(err as Error).message}`;
    }
    if (!error && run.complete && binding.options.delete && run.deleteCandidates > 0) {
      try {
        const ctx = await contextFor(runId);
        const res = await sweep(deps, ctx, run);
        deleted = res.deleted;
        if (res.error) error = res.error;
        await deps.runs.incr(runId, { deleted, rejected: res.failed });
      } catch (err) {
        // The run must not look complete when its sweep broke off: it ends failed, and the next complete
        // run finds the same vanished records again.
        error = `the deletion sweep failed after ${deleted} deletion(s): ${(err as Error).message}`;
      }
    }
    await deps.runs.setStatus(runId, error ? 'failed' : 'completed', error ? { error } : {});
    deps.logger.info(
      { event: 'run.finished', runId, status: error ? 'failed' : 'completed', deleted },
      'run finished',
    );
  }
  // Only now that the status is final: drop the working sets, free the binding, start a queued follow-up.
  // (If anything above threw, the claim expires and the reaper finalizes the run again.)
  await deps.runs.cleanup(runId);
  await new SuspectKeys(deps.redis, deps.keys).clear(runId);
  await deps.runs.expire(runId);
  if (await bindingLock(deps).release(binding.bindingId, runId)) {
    // A tick that found this run active left one follow-up: start it now.
    const next = await deps.redis.getdel(deps.keys.bindingNext(binding.bindingId));
    if (next) {
      await deps.controlQueue.add(CONTROL_TICK, JSON.parse(next) as TickJobData, {
        ...JOB_RETENTION,
        jobId: `next.${runId}`,
      });
    }
  }
  await deps.redis.publish(deps.keys.run(runId), 'finished');
}
