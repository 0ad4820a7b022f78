// Worker PROCESSES exactly as users start them (`oss-pai-sync worker`), one per core by default. They are
// started before a run and stopped (SIGTERM: finish the jobs in hand) after it, with /proc sampled just
// before the signal, so CPU seconds and peak RSS belong to that one case.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sampleProc, type ProcSample } from './proc-stats.ts';

// The sources through tsx, or the compiled build when bench/run.ts --compiled sets BENCH_WORKER_ENTRY.
// Read when workers start: bench/run.ts sets it after this module is imported.
const bin = () =>
  process.env.BENCH_WORKER_ENTRY ?? fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

export interface WorkerProcsOptions {
  count: number;
  redisUrl: string;
  queuePrefix: string;
  logFile: string;
  /** Directory for `node --cpu-prof` output; no profiling when absent. */
  cpuProfDir?: string;
  scanConcurrency?: number;
  /** NODE_OPTIONS of the workers only (e.g. heap limits, to see what bounds their RSS). */
  nodeOptions?: string;
  syncConcurrency?: number;
}

/** cpuSeconds counts from the moment the worker was ready (start-up excluded). */
export interface WorkerSample extends ProcSample {
  startupCpuSeconds: number;
}

export interface WorkerProcs {
  pids: number[];
  /** Samples every worker, then stops them; resolves with the samples once all have exited. */
  stop(): Promise<WorkerSample[]>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`worker ${child.pid} did not start within ${timeoutMs} ms: ${seen}`)),
      timeoutMs,
    );
    child.stderr!.on('data', (d: Buffer) => {
      seen = (seen + d.toString()).slice(-4000);
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it started: ${seen}`));
    });
  });
}

export async function startWorkerProcs(opts: WorkerProcsOptions): Promise<WorkerProcs> {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const children: ChildProcess[] = [];
  for (let i = 0; i < opts.count; i++) {
    const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
    const child = spawn(
      process.execPath,
      [
        ...nodeArgs,
        bin(),
        'worker',
        '--redis-url',
        opts.redisUrl,
        '--queue-prefix',
        opts.queuePrefix,
        '--scan-concurrency',
        String(opts.scanConcurrency ?? 4),
        '--sync-concurrency',
        String(opts.syncConcurrency ?? 8),
      ],
      {
        env: {
          ...process.env,
          ALIBABA_CLOUD_ACCESS_KEY_ID: 'emulator-ak',
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'emulator-secret',
          LOG_LEVEL: 'warn',
          ...(opts.nodeOptions ? { NODE_OPTIONS: opts.nodeOptions } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    children.push(child);
  }
  await Promise.all(children.map((c) => waitForLine(c, /worker \d+ started/, 60_000)));
  // Start-up (loading and compiling the TypeScript) is not part of any case: its CPU is subtracted.
  const startup = children.map((c) => sampleProc(c.pid!)?.cpuSeconds ?? 0);
  return {
    pids: children.map((c) => c.pid!),
    async stop() {
      const samples = children.map((c, i) => {
        const s = sampleProc(c.pid!) ?? { pid: c.pid!, cpuSeconds: NaN, peakRssMB: NaN, rssMB: NaN };
        return { ...s, cpuSeconds: s.cpuSeconds - startup[i]!, startupCpuSeconds: startup[i]! };
      });
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== null || c.signalCode !== null) return;
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }),
      );
      log.end();
      return samples;
    },
  };
}
