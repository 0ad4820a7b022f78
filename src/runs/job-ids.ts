// Job ids, typed: every id is built here and the queue of an id is read back here, so nothing guesses a
// queue from an id's text elsewhere. Ids are deterministic (re-enqueueing the same work is a no-op while
// the job exists) and obey BullMQ's rules: no ':' and not all digits; run ids start with a letter.
//   <run>.s.<partition>.<page>        scan: one listing page
//   <run>.y.<partition>.<page>[.<n>]  sync: a page's new and changed objects (n-th part when split)
//   <run>.e.<n>                       sync: objects of an upload-event drain
//   <run>.q.<n>                       sync: dead letters requeued
//   <id>.r<attempt>                   sync: the follow-up holding a sync job's requeued items
//   <run>.c                           control: the event drain that owns an events run
import { QUEUE_CONTROL, QUEUE_SCAN, QUEUE_SYNC } from '../queue/keys.ts';

export type JobQueue = typeof QUEUE_SCAN | typeof QUEUE_SYNC | typeof QUEUE_CONTROL;

export const scanJobId = (runId: string, partitionId: string, page: number) =>
  `${runId}.s.${partitionId}.${page}`;
export const syncJobId = (runId: string, partitionId: string, page: number) =>
  `${runId}.y.${partitionId}.${page}`;
export const syncPartJobId = (pageJobId: string, part: number) =>
  part === 0 ? pageJobId : `${pageJobId}.${part}`;
export const eventSyncJobId = (runId: string, n: number) => `${runId}.e.${n}`;
export const requeueJobId = (runId: string, n: number) => `${runId}.q.${n}`;
export const drainJobId = (runId: string) => `${runId}.c`;
/** The run of an upload-event drain: the same on every retry of its control job. */
export const eventRunId = (controlJobTimestamp: number, controlJobId: string) =>
  `re${controlJobTimestamp.toString(36)}${controlJobId}`;
/**
 * The control job behind a drain's pending id (drainJobId(eventRunId(..))), for the orphaned-run reaper: the
 * drain's BullMQ job has its own id, so looking the pending id up finds nothing, and a drain busy for
 * longer than the reaper's patience would have its run closed under it. Timestamps in base 36 have 8
 * characters from 1973 to 2059. Undefined for any other id.
 */
export function drainControlJobId(pendingId: string): string | undefined {
  return /^re[0-9a-z]{8}(.+)\.c$/.exec(pendingId)?.[1];
}
export const retryJobId = (parentId: string, attempt: number) =>
  `${parentId.replace(/\.r\d+$/, '')}.r${attempt}`;

/**
 * The queue a job of a run lives in. Read from the END of the id: an events run's id embeds a control job
 * id, which may itself contain dots.
 */
export function queueOfJobId(jobId: string): JobQueue {
  if (jobId.endsWith('.c')) return QUEUE_CONTROL;
  if (/\.s\.[^.]+\.\d+$/.test(jobId)) return QUEUE_SCAN;
  return QUEUE_SYNC;
}
