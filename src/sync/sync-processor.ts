// Sync job: fingerprints a page of new/changed objects, writes them to PAI in batches, then records each
// item's outcome: delivered -> state; retryable -> ONE follow-up job holding only those items, delayed with
// exponential backoff and jitter; rejected or past maxRetries -> dead-letter queue with PAI's Result text.
import type { Job } from 'bullmq';
import { backoffMs } from '../queue/backoff.ts';
import { SYNC_JOB_OPTS, type SyncItem, type SyncJobData } from '../queue/payloads.ts';
import type { DeadLetter } from '../runs/dead-letter.ts';
import { retryJobId } from '../runs/job-ids.ts';
import type { RunContext, WorkerDeps } from './context.ts';
import { fingerprintItems, type Fingerprinted } from './fingerprinter.ts';
import { gateOnRunStatus } from './scan-processor.ts';
import type { StateEntry } from './state-store.ts';
import { deliver } from './writer.ts';

/** Throttled requeues per item before it is dead-lettered (a quota far below apiRps, for hours). */
const MAX_THROTTLED_REQUEUES = 100;

export interface SyncJobResult {
  delivered: number;
  retried: number;
  rejected: number;
}

export function createSyncProcessor(
  deps: WorkerDeps,
  contextFor: (runId: string) => Promise<RunContext>,
  opts: { retryBaseMs?: number; retryCapMs?: number } = {},
) {
  const retryBaseMs = opts.retryBaseMs ?? 1_000;
  const retryCapMs = opts.retryCapMs ?? 60_000;

  return async function processSync(job: Job<SyncJobData>, token?: string): Promise<SyncJobResult> {
    const { runId, items, attempt } = job.data;
    if ((await gateOnRunStatus(deps, job, token, runId)) === 'skip')
      return { delivered: 0, retried: 0, rejected: 0 };
    const ctx = await contextFor(runId);
    const { binding } = ctx;
    const o = binding.options;

    const retry: Array<{ item: SyncItem; reason: string; throttled?: boolean }> = [];
    let retryAfterMs = 0;
    const dead: DeadLetter[] = [];
    const vanishedMembers: Array<{ key: string; member: string }> = [];
    let fatal: string | undefined;

    const fps = await fingerprintItems(ctx.store, items, {
      bucket: binding.source.bucket,
      mode: o.fingerprint,
      concurrency: o.fingerprintConcurrency,
      ...(job.data.recheck ? { recheck: true } : {}),
    });
    const ready: Fingerprinted[] = [];
    let vanished = 0;
    for (const f of fps) {
      if (f.ok) ready.push(f.value);
      else if (f.vanished) {
        vanished++;
        if (f.item.prevMember) vanishedMembers.push({ key: f.item.key, member: f.item.prevMember });
      } else retry.push({ item: f.item, reason: f.reason });
    }

    let apiCalls = 0;
    const deliveries = await deliver(
      {
        api: ctx.api,
        target: binding.target,
        gate: ctx.gate,
        batchMaxItems: o.batchMaxItems,
        batchMaxBytes: o.batchMaxBytes,
        onCall: () => void apiCalls++,
      },
      ready,
    );

    const toState: Omit<StateEntry, 'member'>[] = [];
    const replaced: (string | undefined)[] = [];
    let created = 0;
    let updated = 0;
    const now = Date.now();
    for (const d of deliveries) {
      if (d.kind === 'delivered') {
        toState.push({
          key: d.item.key,
          metaId: d.metaId,
          etag: d.item.etag,
          size: d.item.size,
          lastModified: d.item.lastModified,
        });
        replaced.push(d.item.prevMember);
        if (d.op === 'create') created++;
        else updated++;
      } else if (d.kind === 'retry') {
        retry.push({ item: d.item, reason: d.reason, throttled: d.throttled === true });
        if (d.retryAfterMs) retryAfterMs = Math.max(retryAfterMs, d.retryAfterMs);
      } else {
        if (d.kind === 'fatal') fatal ??= d.reason;
        dead.push({ runId, bindingId: binding.bindingId, item: d.item, reason: d.reason, at: now });
      }
    }
    // The state write comes after the API call: a crash in between is healed by the next create, which is
    // refused as "already exists" and becomes an update (see writer.ts).
    await ctx.state.put(toState, replaced);

    let followUp: string | undefined;
    const requeue: SyncItem[] = [];
    let onlyThrottled = true;
    for (const r of retry) {
      // Throttling slows the pipeline down; it does not use up an item's retries (it has its own, larger cap).
      const tries = (r.item.tries ?? 0) + (r.throttled ? 0 : 1);
      const throttles = (r.item.throttles ?? 0) + (r.throttled ? 1 : 0);
      if (!r.throttled) onlyThrottled = false;
      if (tries > o.maxRetries || throttles > MAX_THROTTLED_REQUEUES) {
        dead.push({
          runId,
          bindingId: binding.bindingId,
          item: r.item,
          reason: `gave up after ${tries} retries and ${throttles} throttled requeues: ${r.reason}`,
          at: now,
        });
      } else requeue.push({ ...r.item, tries, throttles });
    }
    if (requeue.length > 0 && !fatal) {
      followUp = retryJobId(job.id!, attempt + 1);
      await deps.runs.addPending(runId, [followUp]);
      await deps.syncQueue.add(
        'sync',
        { runId, items: requeue, attempt: attempt + 1, ...(job.data.recheck ? { recheck: true } : {}) },
        {
          ...SYNC_JOB_OPTS,
          jobId: followUp,
          delay: Math.max(retryAfterMs, backoffMs(onlyThrottled ? 0 : attempt, retryBaseMs, retryCapMs)),
        },
      );
    } else if (requeue.length > 0) {
      for (const item of requeue)
        dead.push({ runId, bindingId: binding.bindingId, item, reason: `run stopped: ${fatal}`, at: now });
    }
    await deps.dead.add(dead);
    if (o.delete && vanishedMembers.length > 0)
      await deps.runs.addDeleteCandidates(runId, vanishedMembers, o.maxDelete + 1);
    if (fatal) {
      await deps.runs.setStatus(runId, 'failed', { error: `PAI refused a call: ${fatal}` });
      await deps.runs.markIncomplete(runId);
      deps.logger.error({ event: 'run.fatal', runId, reason: fatal }, 'run stopped by a PAI error');
    }
    await deps.runs.incr(runId, {
      created,
      updated,
      retried: followUp ? requeue.length : 0,
      rejected: dead.length,
      vanished,
      apiCalls,
    });
    return { delivered: created + updated, retried: followUp ? requeue.length : 0, rejected: dead.length };
  };
}
