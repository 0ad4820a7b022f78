// Scan job: lists up to `pagesPerJob` pages (<= 1000 keys each) of one partition, one after another, with the
// next page's request in flight while the current page is diffed against the state of the same key range
// and handed on: ONE sync job per page with the page's new and changed objects, vanished ones recorded as
// delete candidates. Then it chains the job of the partition's next pages. Never one job per object.
//
// Why several pages per job: between two jobs, and before each request of a one-page job, a page paid serial
// Redis round trips (run status, backpressure, the chained job's registration and pick-up) while no request
// was in flight. Now the run status and the sync queue's depth are read alongside each request, and a page's
// Redis writes overlap the next page's request.
//
// Crash safety: after a page's sync jobs and delete candidates are stored, the job's data is moved past the
// page (job.updateData). A retried job (error, killed worker, stall) resumes at the first page not handed on;
// its sync job ids are the page's (syncJobId), so a page listed twice enqueues nothing twice.
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { ListPage } from '../oss/object-store.ts';
import { SCAN_JOB_OPTS, SYNC_JOB_OPTS, type ScanJobData, type SyncJobData } from '../queue/payloads.ts';
import { scanJobId, syncJobId, syncPartJobId } from '../runs/job-ids.ts';
import type { RunStore } from '../runs/run-store.ts';
import type { RunStatus } from '../runs/run-types.ts';
import type { RunContext } from './context.ts';
import { splitForSync } from './job-split.ts';
import { planPage } from './planner.ts';
import { gateOnRunStatus, PAUSE_POLL_MS } from './run-gate.ts';
import { cutPage, pageStateRange, scanVerdict, type PageCut, type ScanCursor } from './scan-page.ts';

/** OSS's maximum keys per ListObjectsV2 request. */
export const PAGE_SIZE = 1000;
/** Pages per scan job: the hand-over between jobs costs a few serial round trips, paid once per this many. */
export const PAGES_PER_JOB = 16;

/** What the scan processor uses, and nothing more. */
export interface ScanPorts {
  runs: Pick<RunStore, 'status' | 'setStatus' | 'addPending' | 'addDeleteCandidates' | 'incr'>;
  scanQueue: Pick<Queue<ScanJobData>, 'add'>;
  syncQueue: Pick<Queue<SyncJobData>, 'addBulk' | 'getWaitingCount'>;
  /** Upper bound of sync jobs waiting before the scanner slows down (backpressure). */
  maxQueuedSyncJobs: number;
  /** Pages one scan job lists before it chains the next job (default PAGES_PER_JOB). */
  pagesPerJob?: number;
  /** Keys per listing request (default and OSS maximum PAGE_SIZE; tests use fewer to get many pages). */
  pageSize?: number;
}

interface Checks {
  status: RunStatus | undefined;
  waiting: number;
}

/** A promise whose rejection is handled even if nobody awaits it (a request abandoned on cancel). */
function settled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

const backpressureDelay = () => 250 + Math.random() * 250;

export function createScanProcessor(deps: ScanPorts, contextFor: (runId: string) => Promise<RunContext>) {
  const pagesPerJob = Math.max(1, deps.pagesPerJob ?? PAGES_PER_JOB);
  const pageSize = deps.pageSize ?? PAGE_SIZE;

  return async function processScan(job: Job<ScanJobData>, token?: string): Promise<{ listed: number }> {
    const data = job.data;
    const { runId, partition } = data;
    const postpone = async (ms: number): Promise<never> => {
      await job.moveToDelayed(Date.now() + ms, token);
      throw new DelayedError();
    };

    // Once per job (not per page): an ended run's job is dropped, a paused one waits, and the scanner does
    // not list ahead of the writers without bound.
    if ((await gateOnRunStatus(deps.runs, job, token, runId)) === 'skip') return { listed: 0 };
    const [waiting, ctx] = await Promise.all([deps.syncQueue.getWaitingCount(), contextFor(runId)]);
    if (waiting > deps.maxQueuedSyncJobs) await postpone(backpressureDelay());

    const prefix = ctx.binding.source.prefix;
    const o = ctx.binding.options;
    const until = data.until ?? data.page + pagesPerJob;

    const list = (c: ScanCursor): Promise<ListPage> =>
      settled(
        ctx.store
          .listPage({
            prefix,
            maxKeys: pageSize,
            ...(c.continuationToken
              ? { continuationToken: c.continuationToken }
              : partition.after !== undefined
                ? { startAfter: partition.after }
                : {}),
          })
          .catch((err: unknown) => {
            throw classifyListError(err, `oss://${ctx.binding.source.bucket}/${prefix}`);
          }),
      );
    const check = (): Promise<Checks> =>
      settled(
        Promise.all([deps.runs.status(runId), deps.syncQueue.getWaitingCount()]).then(([status, w]) => ({
          status,
          waiting: w,
        })),
      );

    /** Diffs one page and hands it on; resolves once its sync jobs and delete candidates are stored. */
    async function handOn(cur: ScanCursor, cut: PageCut): Promise<void> {
      const bounds = pageStateRange(cur, cut, partition, prefix);
      const state = bounds ? await ctx.state.rangeForDiff(bounds) : [];
      const kept = cut.objects.filter((x) => ctx.filter(x.key));
      const plan = planPage(kept, state);
      const writes: Promise<unknown>[] = [];
      const parts = splitForSync(plan.items, o.fingerprint);
      if (parts.length > 0) {
        const syncId = syncJobId(runId, partition.id, cur.page);
        const ids = parts.map((_, n) => syncPartJobId(syncId, n));
        // Side by side: this scan job stays pending until it returns, so the run cannot end before both
        // land, and a sync job that finished before its registration is not registered again (run-store).
        writes.push(
          deps.runs.addPending(runId, ids),
          deps.syncQueue.addBulk(
            parts.map((items, n) => ({
              name: 'sync',
              data: { runId, items, attempt: 0 },
              opts: { ...SYNC_JOB_OPTS, jobId: ids[n]! },
            })),
          ),
        );
      }
      if (o.delete && plan.vanished.length > 0) {
        writes.push(
          deps.runs.addDeleteCandidates(
            runId,
            plan.vanished.map((v) => ({ key: v.key, member: v.member })),
            o.maxDelete + 1,
          ),
        );
      }
      writes.push(
        deps.runs.incr(runId, {
          pages: 1,
          partitionsDone: cut.reachedEnd ? 1 : 0,
          listed: cut.objects.length,
          skipped: cut.objects.length - kept.length,
          unchanged: plan.unchanged,
        }),
      );
      await Promise.all(writes);
    }

    /** Registers and enqueues the job that lists the partition on from `next`. */
    async function chain(next: ScanCursor): Promise<void> {
      const nextId = scanJobId(runId, partition.id, next.page);
      await Promise.all([
        deps.runs.addPending(runId, [nextId]),
        deps.scanQueue.add(
          'scan',
          {
            runId,
            partition,
            page: next.page,
            ...cursorFields(next),
          },
          { ...SCAN_JOB_OPTS, jobId: nextId },
        ),
      ]);
    }

    let cur: ScanCursor = { page: data.page, ...cursorFields(data) };
    // Every request has the checks beside it, the first one too: after `run cancel` or `run pause`, at most
    // the one request already out is sent.
    let listing = list(cur);
    let checks = check();
    let listed = 0;
    for (;;) {
      const res = await listing;
      const c = await checks;
      const verdict = scanVerdict(c.status, c.waiting, deps.maxQueuedSyncJobs);
      if (verdict === 'stop') return { listed };
      // Paused, or too many sync jobs waiting: the page just listed is dropped (the job's data points at it,
      // so it is listed again on resume). Handing it on would let each scan slot overshoot the backpressure
      // bound by two pages instead of one.
      if (verdict === 'pause') await postpone(PAUSE_POLL_MS);
      if (verdict === 'backpressure') await postpone(backpressureDelay());

      const cut = cutPage(cur, res.objects, res.nextContinuationToken, partition);
      const next = cut.next;
      const handOver = next !== undefined && next.page >= until;
      // The next request goes out now and overlaps this page's diff and writes.
      if (next && !handOver) listing = list(next);
      await Promise.all([handOn(cur, cut), handOver ? chain(next) : undefined]);
      listed += cut.objects.length;
      if (!next || handOver) return { listed };
      // Checked beside the request in flight, once this page's sync jobs are queued (the depth counts them).
      checks = check();
      // Resume point for a retry: past this page, whose sync jobs are stored.
      await job.updateData({ runId, partition, page: next.page, until, ...cursorFields(next) });
      cur = next;
    }
  };
}

/** The cursor's optional fields, present or absent (job data is JSON: no undefined values). */
function cursorFields(c: ScanCursor): Pick<ScanJobData, 'continuationToken' | 'lastKey'> {
  return {
    ...(c.continuationToken ? { continuationToken: c.continuationToken } : {}),
    ...(c.lastKey !== undefined ? { lastKey: c.lastKey } : {}),
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
