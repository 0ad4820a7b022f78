// IMM scale runs, as scripts (their figures go to bench/BENCHMARKS.md, not to tests):
//   npx tsx bench/imm-scale.ts full  [--objects 100000] [--workers 2] [--index-delay-ms 100]
//   npx tsx bench/imm-scale.ts storm [--objects 20000]  [--workers 2] [--kills 5]
// The emulators (OSS, IMM, PAI) run in this process; the work is done by worker PROCESSES started as users
// start them (`oss-pai-sync worker`), killed with SIGKILL in the storm. Redis: REDIS_URL, else a private
// redis-server. Prints one JSON object with the figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LOCAL_IMM_PROJECT, startLocalCloud } from '../src/demo/local-cloud.ts';
import { provisionRedis } from '../src/queue/redis-provision.ts';
import { startRun, resolveDatasetId, toRunBinding } from '../src/runs/start-run.ts';
import { waitForRun } from '../src/runs/wait.ts';
import { silentLogger } from '../src/telemetry/logger.ts';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    objects: { type: 'string' },
    workers: { type: 'string', default: '2' },
    kills: { type: 'string', default: '5' },
    'index-delay-ms': { type: 'string', default: '100' },
  },
});
const mode = positionals[0] === 'storm' ? 'storm' : 'full';
const OBJECTS = Number(values.objects ?? (mode === 'full' ? 100_000 : 20_000));
const WORKERS = Number(values.workers);
const KILLS = Number(values.kills);
const INDEX_DELAY = Number(values['index-delay-ms']);

const redis = await provisionRedis();
const prefix = `{imm-scale-${process.pid}}`;
const cloud = await startLocalCloud({
  redisUrl: redis.url,
  prefix,
  bucket: 'imm-scale',
  logger: silentLogger(),
  imm:
    mode === 'storm'
      ? { faults: { indexDelayMs: INDEX_DELAY, indexFailureRate: 0.02, errorRate: 0.02 } }
      : { faults: { indexDelayMs: INDEX_DELAY } },
});
const children = new Set<ChildProcess>();

function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--redis-url', redis.url, '--queue-prefix', prefix, '--lock-duration-ms', '5000'],
    {
      env: {
        ...process.env,
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'emulator-ak',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'emulator-secret',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopAll(signal: NodeJS.Signals): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null) return r();
          c.once('exit', () => r());
          c.kill(signal);
        }),
    ),
  );
}

const indexed = () => cloud.imm.store.getDataset(LOCAL_IMM_PROJECT, 'scale')?.FileCount ?? 0;
const writeCalls = () => {
  const c = cloud.imm.stats.calls;
  return (c.BatchIndexFileMeta ?? 0) + (c.BatchDeleteFileMeta ?? 0);
};

try {
  const seedStart = Date.now();
  cloud.oss.store.seedObjects(
    cloud.bucket,
    (function* () {
      for (let i = 0; i < OBJECTS; i++) {
        const d = Math.floor(i / 1000);
        yield {
          key: `data/d${String(d).padStart(4, '0')}/f${String(i).padStart(7, '0')}.jpg`,
          body: 'imm-scale-body!',
        };
      }
    })(),
  );
  const seedMs = Date.now() - seedStart;
  const flat = { target: 'imm', immProject: LOCAL_IMM_PROJECT, immDataset: 'scale', maxRetries: 30 };
  const config = cloud.config(flat);
  const api = await cloud.services.makeDatasetApi({ ...config.target, datasetId: '' }, config.source);
  const id = await resolveDatasetId(cloud.services, api, config);
  for (let i = 0; i < WORKERS; i++) startWorker();
  const t0 = Date.now();
  const runId = await startRun(cloud.services, toRunBinding(config, id));
  const killsAt: number[] = [];
  if (mode === 'storm') {
    for (let k = 1; k <= KILLS; k++) {
      const threshold = Math.floor((OBJECTS * k) / (KILLS + 1));
      while (indexed() < threshold) await new Promise((r) => setTimeout(r, 50));
      killsAt.push(indexed());
      await stopAll('SIGKILL');
      for (let i = 0; i < WORKERS; i++) startWorker();
    }
  }
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 3_600_000, pollMs: 250 });
  const wallMs = Date.now() - t0;
  const firstCalls = { ...cloud.imm.stats.calls };
  const files = cloud.imm.store.listFiles(LOCAL_IMM_PROJECT, 'scale');
  const labelsOk = files.filter(
    (f) => f.ObjectStatus === 'Indexed' && f.CustomLabels?.SyncSize === '15',
  ).length;

  const before = writeCalls();
  const t1 = Date.now();
  const second = await waitForRun(
    cloud.services.runs,
    await startRun(cloud.services, toRunBinding(config, id)),
    {
      timeoutMs: 3_600_000,
      pollMs: 250,
    },
  );
  const secondMs = Date.now() - t1;
  process.stdout.write(
    `${JSON.stringify(
      {
        mode,
        objects: OBJECTS,
        workers: WORKERS,
        indexDelayMs: INDEX_DELAY,
        seedMs,
        run: {
          status: run.status,
          wallMs,
          objectsPerSecond: Math.round(OBJECTS / (wallMs / 1000)),
          counters: run.counters,
        },
        killsAtIndexedFiles: killsAt,
        imm: {
          files: files.length,
          indexedWithOurLabels: labelsOk,
          fileCount: indexed(),
          calls: firstCalls,
          throttled: cloud.imm.stats.throttled,
          indexFailed: cloud.imm.stats.indexFailed,
        },
        secondSync: {
          status: second.status,
          wallMs: secondMs,
          unchanged: second.counters.unchanged,
          writeCalls: writeCalls() - before,
        },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await stopAll('SIGTERM');
  const r = cloud.services.redis;
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  await cloud.close();
  await redis.stop();
}
