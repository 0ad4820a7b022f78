// Cases 3-7: one run of the product, worked by worker processes, with everything it cost: wall time, API
// calls by action (PAI emulator stats), OSS requests, CPU seconds of each worker, of Redis and of the
// emulators, and each worker's peak RSS.
import { join } from 'node:path';
import type { FlatConfig } from '../../src/config/load.ts';
import type { RunRecord } from '../../src/runs/run-types.ts';
import { resolveDatasetId, startRun, toRunBinding } from '../../src/runs/start-run.ts';
import { waitForRun } from '../../src/runs/wait.ts';
import type { BenchEnv } from '../lib/bench-env.ts';
import { round } from '../lib/measure.ts';
import { redisCpuSeconds, redisTraffic, trafficDelta, type RedisTraffic } from '../lib/redis-info.ts';
import { startWorkerProcs, type WorkerSample } from '../lib/worker-procs.ts';

export const WRITE_ACTIONS = [
  'CreateDatasetFileMetas',
  'UpdateDatasetFileMetas',
  'DeleteDatasetFileMetas',
] as const;

export interface ProductRunResult {
  label: string;
  runId: string;
  datasetId: string;
  status: string;
  seconds: number;
  listed: number;
  objectsPerSec: number;
  counters: RunRecord['counters'];
  paiCalls: Record<string, number>;
  paiWriteCalls: number;
  paiThrottled: number;
  paiFailedItems: number;
  ossRequests: Record<string, number>;
  workers: WorkerSample[];
  workerCpuSeconds: number;
  maxWorkerPeakRssMB: number;
  redisCpuSeconds: number;
  /** Bytes and commands the case sent to Redis (the harness's own polling included: a few per 100 ms). */
  redis: RedisTraffic;
  emulatorCpuSeconds: number;
  /** Milliseconds after startRun: when a worker set the run running, when it ended, when the harness saw it. */
  timeline: { startedMs?: number; endedMs?: number; observedMs: number };
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}

export async function productRun(
  env: BenchEnv,
  label: string,
  extra: FlatConfig,
  opts: { timeoutMs?: number; onProgress?: (run: RunRecord) => void } = {},
): Promise<ProductRunResult> {
  const config = env.config(extra);
  const api = await env.services.makeDatasetApi({ ...config.target, datasetId: '' }, config.source);
  const datasetId = await resolveDatasetId(env.services, api, config);
  const binding = toRunBinding(config, datasetId);

  const workers = await startWorkerProcs({
    count: env.workerCount,
    redisUrl: env.redisUrl,
    queuePrefix: env.queuePrefix,
    logFile: join(env.logDir, `workers-${label}.log`),
    ...(env.cpuProfDir ? { cpuProfDir: join(env.cpuProfDir, label) } : {}),
    ...(env.workerNodeOptions ? { nodeOptions: env.workerNodeOptions } : {}),
  });
  let samples: WorkerSample[] = [];
  try {
    const before = await env.emu.call('stats', {});
    const redisCpu0 = await redisCpuSeconds(env.services.redis);
    const traffic0 = await redisTraffic(env.services.redis);
    const t0 = performance.now();
    const wall0 = Date.now();
    const runId = await startRun(env.services, binding);
    const run = await waitForRun(env.services.runs, runId, {
      pollMs: 100,
      timeoutMs: opts.timeoutMs ?? 60 * 60_000,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    const seconds = (performance.now() - t0) / 1000;
    const redisCpu1 = await redisCpuSeconds(env.services.redis);
    const traffic1 = await redisTraffic(env.services.redis);
    const after = await env.emu.call('stats', {});
    samples = await workers.stop();
    const paiCalls = delta(after.pai.calls, before.pai.calls);
    return {
      label,
      runId,
      datasetId,
      status: run.status,
      seconds: round(seconds),
      listed: run.counters.listed,
      objectsPerSec: Math.round(run.counters.listed / seconds),
      counters: run.counters,
      paiCalls,
      paiWriteCalls: WRITE_ACTIONS.reduce((s, a) => s + (paiCalls[a] ?? 0), 0),
      paiThrottled: after.pai.throttled - before.pai.throttled,
      paiFailedItems: after.pai.failedItems - before.pai.failedItems,
      ossRequests: delta(after.oss.byOperation, before.oss.byOperation),
      workers: samples.map((s) => ({
        ...s,
        cpuSeconds: round(s.cpuSeconds),
        peakRssMB: round(s.peakRssMB, 1),
        rssMB: round(s.rssMB, 1),
      })),
      workerCpuSeconds: round(samples.reduce((s, w) => s + w.cpuSeconds, 0)),
      maxWorkerPeakRssMB: round(Math.max(...samples.map((w) => w.peakRssMB)), 1),
      redisCpuSeconds: round(redisCpu1 - redisCpu0),
      redis: trafficDelta(traffic1, traffic0),
      emulatorCpuSeconds: round(after.cpuSeconds - before.cpuSeconds),
      timeline: {
        ...(run.startedAt ? { startedMs: run.startedAt - wall0 } : {}),
        ...(run.endedAt ? { endedMs: run.endedAt - wall0 } : {}),
        observedMs: Math.round(seconds * 1000),
      },
    };
  } finally {
    if (samples.length === 0) await workers.stop();
  }
}
