// Run control: pause (jobs wait), resume, cancel (jobs are dropped as they come up; the binding is released).
import type { WorkerDeps } from '../sync/context.ts';
import { TERMINAL } from './report.ts';
import { bindingLock } from './start-run.ts';

export class RunControlError extends Error {}

export async function controlRun(
  deps: Pick<WorkerDeps, 'runs' | 'redis' | 'keys'>,
  runId: string,
  action: 'pause' | 'resume' | 'cancel',
): Promise<string> {
  const run = await deps.runs.get(runId);
  if (!run) throw new RunControlError(`no run ${runId} (list recent runs with: oss-pai-sync status)`);
  if (TERMINAL.has(run.status)) throw new RunControlError(`run ${runId} has already ended (${run.status})`);
  if (action === 'pause') {
    await deps.runs.setStatus(runId, 'paused');
    return 'paused';
  }
  if (action === 'resume') {
    if (run.status !== 'paused') throw new RunControlError(`run ${runId} is not paused (${run.status})`);
    await deps.runs.setStatus(runId, 'running');
    return 'running';
  }
  await deps.runs.setStatus(runId, 'cancelled', { error: 'cancelled by the user' });
  await deps.runs.markIncomplete(runId);
  await bindingLock(deps).release(run.binding.bindingId, runId);
  return 'cancelled';
}
