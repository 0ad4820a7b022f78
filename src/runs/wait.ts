// Waits for a run to end, reporting progress. Polls the run record (cheap: one HGETALL + two counts).
import type { RunStore } from './run-store.ts';
import { TERMINAL } from './report.ts';
import type { RunRecord } from './run-types.ts';

export async function waitForRun(
  runs: RunStore,
  runId: string,
  opts: {
    pollMs?: number;
    onProgress?: (run: RunRecord) => void;
    signal?: AbortSignal;
    timeoutMs?: number;
  } = {},
): Promise<RunRecord> {
  const deadline = opts.timeoutMs ? Date.now() + opts.timeoutMs : Infinity;
  for (;;) {
    const run = await runs.get(runId);
    if (!run) throw new Error(`run ${runId} not found`);
    opts.onProgress?.(run);
    if (TERMINAL.has(run.status) && run.pendingJobs === 0) return run;
    if (opts.signal?.aborted) throw new Error('aborted');
    if (Date.now() > deadline)
      throw new Error(`run ${runId} did not finish within ${opts.timeoutMs} ms (status ${run.status})`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
}
