// Case 9: start-up as users feel it. `oss-pai-sync --help` wall time (the cost of loading the CLI), and a
// worker's resident memory once it is up and idle (what every extra worker process costs before any job).
import { spawnSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { round } from '../lib/measure.ts';
import { sampleProc } from '../lib/proc-stats.ts';
import { startWorkerProcs } from '../lib/worker-procs.ts';

export interface StartupResult {
  entry: string;
  /** Wall milliseconds of `node <entry> --help`, each of `runs` runs; median and min as well. */
  helpWallMs: { runs: number[]; median: number; min: number };
  /** VmRSS of one worker process right after it logged "started", and after `idleSeconds` more idle. */
  workerIdleRss: { atStartMB: number; afterIdleMB: number; idleSeconds: number; peakMB: number };
}

const entry = () =>
  process.env.BENCH_WORKER_ENTRY ?? fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

export async function startupCase(opts: {
  redisUrl: string;
  queuePrefix: string;
  logFile: string;
  runs?: number;
  idleSeconds?: number;
}): Promise<StartupResult> {
  const runs: number[] = [];
  for (let i = 0; i < (opts.runs ?? 7); i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [entry(), '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`--help exited ${r.status}: ${r.stderr.toString()}`);
    runs.push(round(performance.now() - t, 1));
  }
  const sorted = [...runs].sort((a, b) => a - b);

  const worker = await startWorkerProcs({
    count: 1,
    redisUrl: opts.redisUrl,
    queuePrefix: opts.queuePrefix,
    logFile: opts.logFile,
  });
  const pid = worker.pids[0]!;
  const atStart = sampleProc(pid)?.rssMB ?? NaN;
  // A measurement, not a test: the worker is left idle for a fixed time so that the lazy work after start
  // (connections, BullMQ's first blocking reads, timers) is included in "idle".
  const idleSeconds = opts.idleSeconds ?? 5;
  await delay(idleSeconds * 1000);
  const after = sampleProc(pid);
  await worker.stop();
  return {
    entry: entry(),
    helpWallMs: { runs, median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]! },
    workerIdleRss: {
      atStartMB: round(atStart, 1),
      afterIdleMB: round(after?.rssMB ?? NaN, 1),
      idleSeconds,
      peakMB: round(after?.peakRssMB ?? NaN, 1),
    },
  };
}
