// `npm run bench [-- --quick] [--n N] [--workers K] [--profile]`: the benchmark harness of issue 5.
// See BENCHMARKS.md for what each case measures and the latest recorded figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createRedis } from '../src/queue/connection.ts';
import { provisionRedis } from '../src/queue/redis-provision.ts';
import { RATE_WINDOWS, type RateWindow } from '../src/emulators/pai/index.ts';
import { machineInfo, sourceVersion } from './lib/machine.ts';
import { formatMarkdown, formatTable, type BenchResult } from './lib/report.ts';
import { checkTargets } from './lib/targets.ts';
import { runSuite, type SuiteResult } from './suite.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    n: { type: 'string' },
    workers: { type: 'string', default: '2' },
    'naive-limit': { type: 'string', default: '100000' },
    'pai-latency-ms': { type: 'string', default: '50' },
    'latency-naive-limit': { type: 'string', default: '20000' },
    'rate-rps': { type: 'string', default: '20' },
    'rate-server-rps': { type: 'string' },
    'rate-window': { type: 'string', default: 'sliding' },
    'worker-node-options': { type: 'string' },
    'rate-seconds': { type: 'string', default: '25' },
    'cpu-hogs': { type: 'string', default: '0' },
    'large-count': { type: 'string', default: '200' },
    'large-mib': { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    compiled: { type: 'boolean', default: false },
    cases: { type: 'string', default: '1,2,3,4,5,6,7,8,9' },
    'emulator-heap-mb': { type: 'string', default: '8192' },
    name: { type: 'string' },
    out: { type: 'string' },
  },
});

const here = fileURLToPath(new URL('.', import.meta.url));
const mode: 'quick' | 'full' = args.quick ? 'quick' : 'full';
const sizes = args.n ? args.n.split(',').map(Number) : args.quick ? [100_000] : [100_000, 1_000_000];
const date = new Date().toISOString().slice(0, 10);
const cases = new Set(args.cases.split(',').map(Number));
if (!cases.has(3)) {
  process.stderr.write('oss-pai-sync: bench --cases must include 3 (cases 4, 5 and 8 use its dataset)\n');
  process.exit(2);
}
const resultsDir = args.out ?? join(here, 'results');
// Worker logs and CPU profiles are scratch output: kept out of the tree (results/ holds only the figures).
const scratch = join(tmpdir(), 'oss-pai-sync-bench', `${date}-${mode}-${process.pid}`);
const logDir = join(scratch, 'logs');
mkdirSync(logDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const cpuProfDir = args.profile ? join(scratch, 'profiles') : undefined;

const failures: string[] = [];
const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const fail = (message: string) => {
  failures.push(message);
  process.stderr.write(`\n!!! BENCH ASSERTION FAILED: ${message}\n\n`);
};

// --compiled: workers run the tsc build (dist/, built now), as the installed package and the image do.
if (args.compiled) {
  execFileSync('npm', ['run', 'build'], { cwd: join(here, '..'), stdio: 'inherit' });
  process.env.BENCH_WORKER_ENTRY = join(here, '..', 'dist', 'src', 'cli', 'entry.js');
}

const t0 = performance.now();
const repoRoot = join(here, '..');
const versionAtStart = sourceVersion(repoRoot);
const redis = await provisionRedis();
log(`Redis ${redis.url} (${redis.source}); sizes ${sizes.join(', ')}; ${args.workers} worker processes`);
log(`worker logs${cpuProfDir ? ' and CPU profiles' : ''} under ${scratch}`);
const admin = createRedis(redis.url, { maxRetriesPerRequest: 3 });
const machine = {
  ...machineInfo(),
  // The machine is shared: the 1-minute load average at the start says how busy it was.
  loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  redisVersion: /redis_version:(\S+)/.exec(await admin.info('server'))?.[1],
};
const results: SuiteResult[] = [];
try {
  for (const [i, n] of sizes.entries()) {
    // A private Redis is flushed between sizes so that its memory figures start from nothing; a shared
    // one (REDIS_URL) gets a fresh key prefix instead.
    if (redis.source !== 'env') await admin.flushall();
    const queuePrefix = `{bench-${Date.now().toString(36)}}`;
    results.push(
      await runSuite({
        n,
        redisUrl: redis.url,
        queuePrefix,
        workers: Number(args.workers),
        naiveLimit: Number(args['naive-limit']),
        logDir,
        ...(cpuProfDir ? { cpuProfDir } : {}),
        withOnceCases: i === 0,
        paiLatencyMs: Number(args['pai-latency-ms']),
        latencyNaiveLimit: Number(args['latency-naive-limit']),
        rateRps: Number(args['rate-rps']),
        ...(args['rate-server-rps'] ? { rateServerRps: Number(args['rate-server-rps']) } : {}),
        rateWindow: rateWindow(),
        ...(args['worker-node-options'] ? { workerNodeOptions: args['worker-node-options'] } : {}),
        rateSeconds: Number(args['rate-seconds']),
        cpuHogs: Number(args['cpu-hogs']),
        largeCount: Number(args['large-count']),
        largeBytes: Number(args['large-mib']) * 2 ** 20,
        cases,
        emulatorHeapMB: Number(args['emulator-heap-mb']),
        log,
        fail,
      }),
    );
    writeResults();
  }
} finally {
  admin.disconnect();
  await redis.stop();
}

function rateWindow(): RateWindow {
  const w = args['rate-window'] as RateWindow;
  if (!RATE_WINDOWS.includes(w)) throw new Error(`--rate-window: one of ${RATE_WINDOWS.join(', ')}`);
  return w;
}

/** Builds and writes the result files; called after every size, so a long run that is stopped keeps
 * the sizes it finished. */
function writeResults(): { result: BenchResult; base: string } {
  const first = results[0];
  const result: BenchResult = {
    date,
    mode,
    machine,
    source: { atStart: versionAtStart, atEnd: sourceVersion(repoRoot) },
    setup: {
      sizes,
      workerProcesses: Number(args.workers),
      cases: [...cases].sort((a, b) => a - b),
      emulatorHeapMB: Number(args['emulator-heap-mb']),
      workerFlags: '--scan-concurrency 4 --sync-concurrency 8 (defaults)',
      workerEntry: args.compiled ? 'dist/src/cli/entry.js (compiled)' : 'src/cli/bin.js (tsx)',
      ...(args['worker-node-options'] ? { workerNodeOptions: args['worker-node-options'] } : {}),
      ...(args['rate-server-rps'] ? { rateServerRps: Number(args['rate-server-rps']) } : {}),
      options:
        'defaults (batchMaxItems 100, apiConcurrency 4, fingerprint etag, one partition) except apiRps 0',
      naiveLimit: Number(args['naive-limit']),
      paiLatencyMs: Number(args['pai-latency-ms']),
      latencyNaiveLimit: Number(args['latency-naive-limit']),
      rateLimit: {
        rps: Number(args['rate-rps']),
        window: rateWindow(),
        objects: Number(args['rate-rps']) * 100 * Number(args['rate-seconds']),
      },
      largeObjects: { count: Number(args['large-count']), mib: Number(args['large-mib']) },
      emulators: 'one separate process (OSS + PAI), in memory',
      redis: redis.source,
    },
    sizes: results,
    targets: checkTargets(
      results.map((s) => ({
        n: s.n,
        ...(s.rawListing
          ? {
              rawKeysPerSec: s.rawListing.keysPerSec,
              requestOnlyKeysPerSec: s.rawListing.rawHttp.keysPerSec,
              requestParserKeysPerSec: s.rawListing.rawHttpFastParse.keysPerSec,
            }
          : {}),
        ...(s.naive ? { naiveObjectsPerSec: s.naive.objectsPerSec } : {}),
        fullObjectsPerSec: s.full.objectsPerSec,
        fullWorkerCpuSeconds: s.full.workerCpuSeconds,
        fullRedisCpuSeconds: s.full.redisCpuSeconds,
        ...(s.emulator.peakRssMB > 0 ? { emulatorPeakRssMB: s.emulator.peakRssMB } : {}),
        ...(s.incrementalNone ? { incrementalNoneObjectsPerSec: s.incrementalNone.objectsPerSec } : {}),
        maxWorkerPeakRssMB: Math.max(
          s.full.maxWorkerPeakRssMB,
          s.incrementalNone?.maxWorkerPeakRssMB ?? 0,
          s.incrementalChanged?.maxWorkerPeakRssMB ?? 0,
        ),
        stateBytesPerObject: s.redisMemory.stateBytesPerObject,
        queueBytes: s.redisMemory.queueBytes,
      })),
      {
        ...(first?.withLatency
          ? {
              latency: {
                ms: first.withLatency.latencyMs,
                naive: first.withLatency.naive.objectsPerSec,
                full: first.withLatency.full.objectsPerSec,
              },
            }
          : {}),
        ...(first?.rateLimit
          ? {
              rateEfficiency: first.rateLimit.efficiency,
              throttledShare: first.rateLimit.throttledShare,
              rateCpuHogs: first.rateLimit.cpuHogs,
            }
          : {}),
        ...(first?.startup
          ? {
              helpMedianMs: first.startup.helpWallMs.median,
              workerIdleRssMB: first.startup.workerIdleRss.afterIdleMB,
            }
          : {}),
        ...(first?.contentMd5
          ? { contentMd5MBps: first.contentMd5.MBps, md5sumMBps: first.contentMd5.reference.md5sumMBps }
          : {}),
      },
    ),
    failures,
    totalSeconds: Math.round((performance.now() - t0) / 1000),
  };

  const base = join(resultsDir, args.name ?? `${date}-${mode}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${base}.md`, formatMarkdown(result));
  return { result, base };
}

const { result, base } = writeResults();
process.stdout.write(`\n${formatTable(result)}\n\nwritten: ${base}.json, ${base}.md\n`);
if (failures.length > 0) {
  process.stderr.write(
    `\n${failures.length} bench assertion(s) FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
  );
  process.exitCode = 1;
}
