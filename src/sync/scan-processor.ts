// Scan job: lists ONE page (<= 1000 keys) of one partition, diffs it against the state of the same key range,
// enqueues ONE sync job with the page's new and changed objects, records vanished ones as delete candidates,
// and chains the next page. Never one job per object.
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { compareKeys } from '../oss/key-order.ts';
import { SCAN_JOB_OPTS, SYNC_JOB_OPTS, type ScanJobData, type SyncJobData } from '../queue/payloads.ts';
import { scanJobId, syncJobId, syncPartJobId } from '../runs/job-ids.ts';
import type { RunContext } from './context.ts';
import type { RunStore } from '../runs/run-store.ts';
import { splitForSync } from './job-split.ts';
import { planPage } from './planner.ts';
import { gateOnRunStatus } from './run-gate.ts';

const PAGE_SIZE = 1000;

/** What the scan processor uses, and nothing more. */
export interface ScanPorts {
  runs: Pick<RunStore, 'status' | 'setStatus' | 'addPending' | 'addDeleteCandidates' | 'incr'>;
  scanQueue: Pick<Queue<ScanJobData>, 'add'>;
  syncQueue: Pick<Queue<SyncJobData>, 'addBulk' | 'getWaitingCount'>;
  /** Upper bound of sync jobs waiting before the scanner slows down (backpressure). */
  maxQueuedSyncJobs: number;
}

export function createScanProcessor(deps: ScanPorts, contextFor: (runId: string) => Promise<RunContext>) {
  return async function processScan(job: Job<ScanJobData>, token?: string): Promise<{ listed: number }> {
    const { runId, partition, page, continuationToken, lastKey } = job.data;
    if ((await gateOnRunStatus(deps.runs, job, token, runId)) === 'skip') return { listed: 0 };

    // Backpressure: do not list ahead of the writers without bound.
    const waiting = await deps.syncQueue.getWaitingCount();
    if (waiting > deps.maxQueuedSyncJobs) {
      await job.moveToDelayed(Date.now() + 250 + Math.random() * 250, token);
      throw new DelayedError();
    }

    const ctx = await contextFor(runId);
    const prefix = ctx.binding.source.prefix;
    const res = await ctx.store
      .listPage({
        prefix,
        maxKeys: PAGE_SIZE,
        ...(continuationToken
          ? { continuationToken }
          : partition.after !== undefined
            ? { startAfter: partition.after }
            : {}),
      })
      .catch((err: unknown) => {
        throw classifyListError(err, `oss://${ctx.binding.source.bucket}/${prefix}`);
      });

    let objects = res.objects;
    let reachedEnd = res.nextContinuationToken === undefined;
    if (partition.before !== undefined) {
      const cut = objects.findIndex((o) => compareKeys(o.key, partition.before!) >= 0);
      if (cut >= 0) {
        objects = objects.slice(0, cut);
        reachedEnd = true;
      }
    }
    const pageLast = objects.length > 0 ? objects[objects.length - 1]!.key : lastKey;

    // Chain the next page first, so that its listing overlaps with this page's diff (another worker slot
    // or process picks it up). This job stays pending until it returns, so the run cannot end early.
    if (!reachedEnd) {
      const nextId = scanJobId(runId, partition.id, page + 1);
      await deps.runs.addPending(runId, [nextId]);
      await deps.scanQueue.add(
        'scan',
        {
          runId,
          partition,
          page: page + 1,
          continuationToken: res.nextContinuationToken!,
          ...(pageLast !== undefined ? { lastKey: pageLast } : {}),
        },
        { ...SCAN_JOB_OPTS, jobId: nextId },
      );
    }

    // The state range this page is responsible for: (previous page's last key, this page's last key], or to
    // the end of the partition on its last page. Everything in it that the page lacks has vanished.
    const lower = lastKey ?? partition.after;
    const state =
      !reachedEnd && pageLast === undefined
        ? [] // an empty first page that is still truncated: no range to compare yet
        : await ctx.state.range({
            ...(lower !== undefined ? { after: lower } : prefix ? { from: prefix } : {}),
            ...(reachedEnd
              ? partition.before !== undefined
                ? { before: partition.before }
                : prefix
                  ? { beforePrefixEnd: prefix }
                  : {}
              : pageLast !== undefined
                ? { through: pageLast }
                : {}),
          });

    const kept = objects.filter((o) => ctx.filter(o.key));
    const plan = planPage(kept, state);
    const o = ctx.binding.options;

    const parts = splitForSync(plan.items, o.fingerprint);
    if (parts.length > 0) {
      const syncId = syncJobId(runId, partition.id, page);
      const ids = parts.map((_, n) => syncPartJobId(syncId, n));
      await deps.runs.addPending(runId, ids);
      await deps.syncQueue.addBulk(
        parts.map((items, n) => ({
          name: 'sync',
          data: { runId, items, attempt: 0 },
          opts: { ...SYNC_JOB_OPTS, jobId: ids[n]! },
        })),
      );
    }
    if (o.delete && plan.vanished.length > 0) {
      await deps.runs.addDeleteCandidates(
        runId,
        plan.vanished.map((v) => ({ key: v.key, member: v.member })),
        o.maxDelete + 1,
      );
    }
    await deps.runs.incr(runId, {
      pages: 1,
      partitionsDone: reachedEnd ? 1 : 0,
      listed: objects.length,
      skipped: objects.length - kept.length,
      unchanged: plan.unchanged,
    });
    return { listed: objects.length };
  };
}

/** Listing errors that retrying cannot fix end the run at once, with a message that says what to check. */
function classifyListError(err: unknown, where: string): Error {
  const e = err as { status?: number; code?: string; message?: string };
  const what = `listing ${where} failed: ${e.code ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`;
  if (e.status === 404 || e.status === 403 || e.status === 400) {
    const hint =
      e.code === 'NoSuchBucket'
        ? ' (check --bucket and --oss-endpoint/--oss-region)'
        : e.status === 403
          ? ' (check the credentials and their permission oss:ListObjects on the bucket)'
          : '';
    return new UnrecoverableError(what + hint);
  }
  return err instanceof Error ? err : new Error(what);
}
