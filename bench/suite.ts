// One size of the benchmark: fresh emulators (own process) and a fresh Redis key space, then the cases in
// order, each against the same emulators. Cases 6 and 7 do not depend on N and run with the first size only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClient } from '../src/queue/connection.ts';
import { md5Reference, type Md5Reference } from './cases/content-md5.ts';
import { naiveBaseline, type NaiveResult } from './cases/naive-baseline.ts';
import { productRun, type ProductRunResult } from './cases/product-sync.ts';
import { rawListing, type RawListingResult } from './cases/raw-listing.ts';
import { startupCase, type StartupResult } from './cases/startup.ts';
import { makeBenchEnv, WORKSPACE_ID } from './lib/bench-env.ts';
import { startEmulatorProcess } from './lib/emulator-client.ts';
import { LARGE_PREFIX, MAIN_PREFIX, RATE_PREFIX } from './lib/keys.ts';
import { round } from './lib/measure.ts';
import { benchOssClient } from './lib/oss-client.ts';
import { keyMemory, memoryByGroup, redisUsedMemory } from './lib/redis-info.ts';
import type { RunRecord } from '../src/runs/run-types.ts';
import type { RateWindow } from '../src/emulators/pai/index.ts';

export interface SuiteOptions {
  n: number;
  redisUrl: string;
  queuePrefix: string;
  workers: number;
  naiveLimit: number;
  logDir: string;
  cpuProfDir?: string;
  workerNodeOptions?: string;
  /** Cases 6 and 7. */
  withOnceCases: boolean;
  /** PAI answer delay for case 3b (naive vs full when each call has a network round trip). */
  paiLatencyMs: number;
  latencyNaiveLimit: number;
  rateRps: number;
  /** The PAI emulator's limit in case 6; default rateRps (a higher one shows what client-side margin would buy). */
  rateServerRps?: number;
  /** How the PAI emulator counts its limit in case 6 (the real PAI's window is undocumented). */
  rateWindow?: RateWindow;
  rateSeconds: number;
  /** Busy-loop processes started for case 6 only (CPU starvation of workers, emulators and Redis). */
  cpuHogs?: number;
  largeCount: number;
  largeBytes: number;
  /** Case numbers to run (`--cases`); 3 always runs (4 and 5 need its dataset), 8 is measured with it. */
  cases: ReadonlySet<number>;
  /** The emulator process's --max-old-space-size. */
  emulatorHeapMB: number;
  log: (line: string) => void;
  fail: (message: string) => void;
}

export interface RedisMemory {
  usedBefore: number;
  usedAfter: number;
  usedDeltaPerObject: number;
  stateKeyBytes: number;
  stateBytesPerObject: number;
  /** MEMORY USAGE summed per kind of key after the full sync: state, queues (BullMQ), run records... */
  byGroup: Record<string, { keys: number; bytes: number }>;
  queueBytes: number;
}

export interface SuiteResult {
  n: number;
  seedSeconds: number;
  /** Absent when the case was not selected (`--cases`). */
  rawListing?: RawListingResult;
  naive?: NaiveResult;
  full: ProductRunResult;
  incrementalNone?: ProductRunResult;
  incrementalChanged?: ProductRunResult & { changedObjects: number };
  redisMemory: RedisMemory;
  /**
   * The emulator process (OSS + PAI, one process): RSS and peak RSS (VmHWM) at the end, and right after
   * the full sync its live heap after two full GCs (JS heap + external, i.e. typed arrays and Buffers).
   */
  emulator: {
    rssMB: number;
    peakRssMB: number;
    cpuSeconds: number;
    afterFullSync?: { heapUsedMB: number; externalMB: number; rssMB: number; peakRssMB: number };
  };
  withLatency?: { latencyMs: number; naive: NaiveResult; full: ProductRunResult };
  rateLimit?: ProductRunResult & {
    rps: number;
    serverRps: number;
    rateWindow: RateWindow;
    objects: number;
    itemsPerSec: number;
    efficiency: number;
    cpuHogs: number;
    /** 1-minute load average before and after case 6 (the machine is shared). */
    loadAverage: [number, number];
    throttledShare: number;
  };
  contentMd5?: ProductRunResult & { objects: number; bytes: number; MBps: number; reference: Md5Reference };
  /** Case 9: `--help` wall time and a worker's idle RSS. */
  startup?: StartupResult;
}

function progress(log: (l: string) => void, label: string) {
  let last = Date.now();
  return (run: RunRecord) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    const c = run.counters;
    log(
      `  ${label}: ${run.status} listed ${c.listed} created ${c.created} updated ${c.updated} ` +
        `unchanged ${c.unchanged} pending jobs ${run.pendingJobs}`,
    );
  };
}

function groupOf(prefix: string) {
  return (key: string): string => {
    const rest = key.slice(prefix.length + 1);
    if (rest.startsWith('ops:state:')) return 'state';
    if (rest.startsWith('ops:')) return `ops:${rest.split(':')[1]}`;
    // BullMQ: <prefix>:<queue>:<job id | list name>
    const [queue, what = ''] = rest.split(':');
    return /^(wait|active|completed|failed|delayed|prioritized|paused|meta|id|events|stalled-check|marker|pc)$/.test(
      what,
    )
      ? `queue:${queue}:${what}`
      : `queue:${queue}:jobs`;
  };
}

/** Processes that spin on a core each until killed: the CPU starvation case 6 can be run under. */
function startCpuHogs(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

export async function runSuite(o: SuiteOptions): Promise<SuiteResult> {
  const bucket = 'bench-bucket';
  const emu = await startEmulatorProcess(o.emulatorHeapMB);
  const runs = (c: number) => o.cases.has(c);
  const tmp = mkdtempSync(join(tmpdir(), 'oss-pai-sync-bench-'));
  try {
    const { ossEndpoint, paiEndpoint } = await emu.call('start', { bucket });
    const env = makeBenchEnv({
      emu,
      redisUrl: o.redisUrl,
      queuePrefix: o.queuePrefix,
      bucket,
      ossEndpoint,
      paiEndpoint,
      workerCount: o.workers,
      logDir: o.logDir,
      ...(o.cpuProfDir ? { cpuProfDir: o.cpuProfDir } : {}),
      ...(o.workerNodeOptions ? { workerNodeOptions: o.workerNodeOptions } : {}),
    });
    const redis: RedisClient = env.services.redis;
    try {
      o.log(`N=${o.n}: seeding`);
      const seed = await emu.call('seed', { prefix: MAIN_PREFIX, count: o.n });
      const rateObjects = o.rateRps * 100 * o.rateSeconds;
      const largeFile = join(tmp, 'large-objects.bin');
      if (o.withOnceCases && runs(6)) await emu.call('seed', { prefix: RATE_PREFIX, count: rateObjects });
      if (o.withOnceCases && runs(7)) {
        await emu.call('seedLarge', {
          prefix: LARGE_PREFIX,
          count: o.largeCount,
          bytes: o.largeBytes,
          file: largeFile,
        });
      }
      o.log(`N=${o.n}: seeded ${seed.seeded} objects in ${(seed.ms / 1000).toFixed(1)} s`);

      const client = benchOssClient(ossEndpoint, bucket);
      let raw: RawListingResult | undefined;
      if (runs(1)) {
        o.log(`N=${o.n}: 1. raw listing`);
        raw = await rawListing(client, MAIN_PREFIX);
        o.log(
          `  ${raw.keysPerSec} keys/s (raw HTTP ${raw.rawHttp.keysPerSec}, fast parse ${raw.rawHttpFastParse.keysPerSec})`,
        );
      }

      let naive: NaiveResult | undefined;
      if (runs(2)) {
        o.log(`N=${o.n}: 2. naive baseline (first ${Math.min(o.n, o.naiveLimit)} objects)`);
        naive = await naiveBaseline({
          client,
          bucket,
          prefix: MAIN_PREFIX,
          paiEndpoint,
          workspaceId: WORKSPACE_ID,
          limit: o.naiveLimit,
        });
        o.log(`  ${naive.objectsPerSec} objects/s`);
        if (naive.failedItems > 0) o.fail(`naive baseline: ${naive.failedItems} items failed`);
      }

      o.log(`N=${o.n}: 3. full sync with the product (${o.workers} worker processes)`);
      const main = { prefix: MAIN_PREFIX, datasetName: `bench-main-${o.n}` };
      const usedBefore = await redisUsedMemory(redis);
      const full = await productRun(env, `full-${o.n}`, main, { onProgress: progress(o.log, 'full') });
      const usedAfter = await redisUsedMemory(redis);
      o.log(`  ${full.objectsPerSec} objects/s, ${full.paiWriteCalls} write calls, status ${full.status}`);
      if (full.status !== 'completed' || full.counters.created !== o.n)
        o.fail(`full sync: status ${full.status}, created ${full.counters.created} of ${o.n}`);
      const records = await emu.call('recordCount', { datasetId: full.datasetId });
      if (records.active !== o.n) o.fail(`full sync: PAI holds ${records.active} records, expected ${o.n}`);
      const afterFullSync = await emu.call('heap', {});
      o.log(
        `  emulators: live heap ${afterFullSync.heapUsedMB.toFixed(0)} MB + external ${afterFullSync.externalMB.toFixed(0)} MB ` +
          `(${(((afterFullSync.heapUsedMB + afterFullSync.externalMB) * 2 ** 20) / o.n).toFixed(0)} B/object, OSS + PAI), ` +
          `RSS ${afterFullSync.rssMB.toFixed(0)} MB, peak RSS ${afterFullSync.peakRssMB.toFixed(0)} MB`,
      );

      const stateKey = env.services.keys.state(full.datasetId, 'v1', bucket);
      const stateKeyBytes = await keyMemory(redis, stateKey);
      const byGroup = await memoryByGroup(redis, `${o.queuePrefix}*`, groupOf(o.queuePrefix));
      const queueBytes = Object.entries(byGroup)
        .filter(([g]) => g.startsWith('queue:'))
        .reduce((s, [, v]) => s + v.bytes, 0);
      const redisMemory: RedisMemory = {
        usedBefore,
        usedAfter,
        usedDeltaPerObject: round((usedAfter - usedBefore) / o.n, 1),
        stateKeyBytes,
        stateBytesPerObject: round(stateKeyBytes / o.n, 1),
        byGroup,
        queueBytes,
      };
      o.log(
        `  Redis: ${redisMemory.stateBytesPerObject} B/object in the state set, ` +
          `${redisMemory.usedDeltaPerObject} B/object used_memory delta, queues ${(queueBytes / 2 ** 20).toFixed(1)} MiB`,
      );

      let none: ProductRunResult | undefined;
      if (runs(4)) {
        o.log(`N=${o.n}: 4. incremental, nothing changed`);
        none = await productRun(env, `incremental-none-${o.n}`, main, {
          onProgress: progress(o.log, 'incremental'),
        });
        o.log(`  ${none.objectsPerSec} objects/s, ${none.paiWriteCalls} write calls`);
        if (none.paiWriteCalls !== 0)
          o.fail(`incremental with nothing changed made ${none.paiWriteCalls} PAI write calls (expected 0)`);
        if (none.status !== 'completed' || none.counters.unchanged !== o.n)
          o.fail(`incremental (none): status ${none.status}, unchanged ${none.counters.unchanged} of ${o.n}`);
      }

      let incrementalChanged: SuiteResult['incrementalChanged'];
      if (runs(5)) {
        o.log(`N=${o.n}: 5. incremental, 1% changed`);
        const { changed } = await emu.call('change', {
          prefix: MAIN_PREFIX,
          count: o.n,
          every: 100,
          tag: 'v2',
        });
        const ch = await productRun(env, `incremental-1pct-${o.n}`, main, {
          onProgress: progress(o.log, 'incremental'),
        });
        o.log(
          `  ${ch.objectsPerSec} objects/s, ${ch.counters.updated} updated, ${ch.paiWriteCalls} write calls`,
        );
        if (ch.status !== 'completed' || ch.counters.updated !== changed)
          o.fail(`incremental (1%): status ${ch.status}, updated ${ch.counters.updated} of ${changed}`);
        incrementalChanged = { ...ch, changedObjects: changed };
      }

      let withLatency: SuiteResult['withLatency'];
      if (o.withOnceCases && o.paiLatencyMs > 0 && runs(2)) {
        o.log(`3b. naive vs full sync with every PAI answer delayed ${o.paiLatencyMs} ms`);
        await emu.call('setPaiLatency', { latencyMs: o.paiLatencyMs });
        const lNaive = await naiveBaseline({
          client,
          bucket,
          prefix: MAIN_PREFIX,
          paiEndpoint,
          workspaceId: WORKSPACE_ID,
          limit: o.latencyNaiveLimit,
        });
        const lFull = await productRun(
          env,
          `full-latency-${o.n}`,
          { prefix: MAIN_PREFIX, datasetName: `bench-latency-${o.n}` },
          { onProgress: progress(o.log, 'full (latency)') },
        );
        await emu.call('setPaiLatency', { latencyMs: 0 });
        withLatency = { latencyMs: o.paiLatencyMs, naive: lNaive, full: lFull };
        o.log(`  naive ${lNaive.objectsPerSec} objects/s, full ${lFull.objectsPerSec} objects/s`);
        if (lFull.status !== 'completed' || lFull.counters.created !== o.n)
          o.fail(`full sync (latency): status ${lFull.status}, created ${lFull.counters.created} of ${o.n}`);
      }

      const result: SuiteResult = {
        n: o.n,
        seedSeconds: round(seed.ms / 1000),
        ...(raw ? { rawListing: raw } : {}),
        ...(naive ? { naive } : {}),
        full,
        ...(none ? { incrementalNone: none } : {}),
        ...(incrementalChanged ? { incrementalChanged } : {}),
        redisMemory,
        emulator: { rssMB: 0, peakRssMB: 0, cpuSeconds: 0, afterFullSync },
        ...(withLatency ? { withLatency } : {}),
      };

      if (o.withOnceCases && runs(6)) {
        o.log(
          `6. rate limit: PAI at ${o.rateRps} req/s (${o.rateWindow ?? 'sliding'} window), apiRps ${o.rateRps}, ${rateObjects} objects`,
        );
        await emu.call('setRps', { rps: o.rateServerRps ?? o.rateRps, window: o.rateWindow ?? 'sliding' });
        const hogs = startCpuHogs(o.cpuHogs ?? 0);
        const load0 = loadavg()[0]!;
        const rl = await productRun(env, 'rate-limit', {
          prefix: RATE_PREFIX,
          datasetName: 'bench-rate',
          apiRps: o.rateRps,
          batchMaxItems: 100,
        }).finally(() => hogs.forEach((h) => h.kill('SIGKILL')));
        const load1 = loadavg()[0]!;
        await emu.call('setRps', { rps: 0, window: 'sliding' });
        const totalCalls = Object.values(rl.paiCalls).reduce((s, v) => s + v, 0);
        const itemsPerSec = rl.counters.created / rl.seconds;
        result.rateLimit = {
          ...rl,
          rps: o.rateRps,
          serverRps: o.rateServerRps ?? o.rateRps,
          rateWindow: o.rateWindow ?? 'sliding',
          objects: rateObjects,
          itemsPerSec: Math.round(itemsPerSec),
          efficiency: round(itemsPerSec / (o.rateRps * 100), 3),
          throttledShare: round(rl.paiThrottled / Math.max(1, totalCalls), 4),
          cpuHogs: o.cpuHogs ?? 0,
          loadAverage: [round(load0), round(load1)],
        };
        o.log(
          `  ${Math.round(itemsPerSec)} items/s, efficiency ${result.rateLimit.efficiency}, ` +
            `${rl.paiThrottled} of ${totalCalls} calls throttled` +
            ` (${o.cpuHogs ?? 0} CPU hogs, load ${load0.toFixed(1)} -> ${load1.toFixed(1)})`,
        );
        if (rl.counters.created !== rateObjects)
          o.fail(`rate-limit case created ${rl.counters.created} of ${rateObjects}`);
      }
      if (o.withOnceCases && runs(7)) {
        o.log(`7. content-md5: ${o.largeCount} x ${o.largeBytes} bytes`);
        const md5 = await productRun(env, 'content-md5', {
          prefix: LARGE_PREFIX,
          datasetName: 'bench-md5',
          fingerprint: 'content-md5',
        });
        const bytes = o.largeCount * o.largeBytes;
        const reference = await md5Reference(largeFile, bytes);
        result.contentMd5 = {
          ...md5,
          objects: o.largeCount,
          bytes,
          MBps: Math.round(bytes / 2 ** 20 / md5.seconds),
          reference,
        };
        o.log(`  ${result.contentMd5.MBps} MB/s (md5sum ${reference.md5sumMBps} MB/s)`);
        if (md5.counters.created !== o.largeCount)
          o.fail(`content-md5 case created ${md5.counters.created} of ${o.largeCount}`);
      }
      if (o.withOnceCases && runs(9)) {
        o.log('9. start-up: --help wall time, idle worker RSS');
        result.startup = await startupCase({
          redisUrl: o.redisUrl,
          queuePrefix: o.queuePrefix,
          logFile: join(o.logDir, 'startup-worker.log'),
        });
        o.log(
          `  --help median ${result.startup.helpWallMs.median} ms (min ${result.startup.helpWallMs.min}); ` +
            `idle worker RSS ${result.startup.workerIdleRss.afterIdleMB} MB`,
        );
      }
      const s = await emu.call('stats', {});
      result.emulator = {
        rssMB: round(s.rssMB, 1),
        peakRssMB: round(s.peakRssMB, 1),
        cpuSeconds: round(s.cpuSeconds),
        afterFullSync,
      };
      return result;
    } finally {
      await env.services.close();
    }
  } finally {
    await emu.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
