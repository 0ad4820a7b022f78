// PURE decisions of the scan processor (src/sync/scan-processor.ts), table-tested in
// test/unit/sync/scan-page.test.ts: where a listed page ends within its partition, which state range it is
// compared with, and whether the job lists on after the checks that ran alongside a request.
import type { ObjectEntry } from '../oss/object-store.ts';
import { compareKeys } from '../oss/key-order.ts';
import type { Partition } from '../queue/payloads.ts';
import type { RunStatus } from '../runs/run-types.ts';
import type { RangeBounds } from './state-store.ts';

/** Where the listing of a partition stands: the page to list next and what it continues from. */
export interface ScanCursor {
  page: number;
  continuationToken?: string;
  /** Last key of the previous page (exclusive lower bound of this page's state range). */
  lastKey?: string;
}

export interface PageCut {
  /** The page's objects inside the partition. */
  objects: readonly ObjectEntry[];
  /** The partition's listing is over after this page. */
  reachedEnd: boolean;
  /** Last key covered so far (this page's last object, else the previous page's). */
  pageLast?: string;
  /** The cursor of the next page, when there is one. */
  next?: ScanCursor;
}

/** Cuts a listed page at the partition's upper bound and says what comes next. */
export function cutPage(
  cur: ScanCursor,
  objects: readonly ObjectEntry[],
  nextContinuationToken: string | undefined,
  partition: Pick<Partition, 'before'>,
): PageCut {
  let kept = objects;
  let reachedEnd = nextContinuationToken === undefined;
  if (partition.before !== undefined) {
    const before = partition.before;
    const cut = objects.findIndex((o) => compareKeys(o.key, before) >= 0);
    if (cut >= 0) {
      kept = objects.slice(0, cut);
      reachedEnd = true;
    }
  }
  const pageLast = kept.length > 0 ? kept[kept.length - 1]!.key : cur.lastKey;
  return {
    objects: kept,
    reachedEnd,
    ...(pageLast !== undefined ? { pageLast } : {}),
    ...(reachedEnd
      ? {}
      : {
          next: {
            page: cur.page + 1,
            continuationToken: nextContinuationToken!,
            ...(pageLast !== undefined ? { lastKey: pageLast } : {}),
          },
        }),
  };
}

/**
 * The state range a page is responsible for: (previous page's last key, this page's last key], or to the end
 * of the partition on its last page. Everything in it that the page lacks has vanished. undefined: nothing to
 * compare yet (an empty first page that is still truncated).
 */
export function pageStateRange(
  cur: ScanCursor,
  cut: Pick<PageCut, 'reachedEnd' | 'pageLast'>,
  partition: Pick<Partition, 'after' | 'before'>,
  prefix: string,
): RangeBounds | undefined {
  if (!cut.reachedEnd && cut.pageLast === undefined) return undefined;
  const lower = cur.lastKey ?? partition.after;
  return {
    ...(lower !== undefined ? { after: lower } : prefix ? { from: prefix } : {}),
    ...(cut.reachedEnd
      ? partition.before !== undefined
        ? { before: partition.before }
        : prefix
          ? { beforePrefixEnd: prefix }
          : {}
      : cut.pageLast !== undefined
        ? { through: cut.pageLast }
        : {}),
  };
}

/**
 * What the checks that ran alongside a listing request say about the next request:
 *   stop          the run ended (cancelled, failed, completed, gone): the job ends, nothing more is listed
 *   pause         the run is paused: the page just listed is dropped and the job waits, delayed
 *   backpressure  too many sync jobs wait: the same, for a shorter while
 *   go            list on
 */
export type ScanVerdict = 'go' | 'stop' | 'pause' | 'backpressure';

export function scanVerdict(
  status: RunStatus | undefined,
  waitingSyncJobs: number,
  maxQueuedSyncJobs: number,
): ScanVerdict {
  if (status === 'paused') return 'pause';
  if (status !== 'running' && status !== 'queued') return 'stop';
  return waitingSyncJobs > maxQueuedSyncJobs ? 'backpressure' : 'go';
}
