// The run-status gate every job passes before it does anything: an ended run's jobs are dropped, a paused
// run's jobs wait (they are postponed, not failed), a queued run becomes running with its first job.
import { DelayedError, type Job } from 'bullmq';
import type { RunStore } from '../runs/run-store.ts';

export const PAUSE_POLL_MS = 1_000;

/** 'skip' when the run has ended; postpones the job (DelayedError) while the run is paused; else 'go'. */
export async function gateOnRunStatus(
  runs: Pick<RunStore, 'status' | 'setStatus'>,
  job: Job,
  token: string | undefined,
  runId: string,
): Promise<'skip' | 'go'> {
  const status = await runs.status(runId);
  if (status === undefined || status === 'cancelled' || status === 'failed' || status === 'completed')
    return 'skip';
  if (status === 'paused') {
    await job.moveToDelayed(Date.now() + PAUSE_POLL_MS, token);
    throw new DelayedError();
  }
  if (status === 'queued') await runs.setStatus(runId, 'running');
  return 'go';
}
