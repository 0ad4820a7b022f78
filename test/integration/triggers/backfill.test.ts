// Backfill: key ranges from delimiter discovery, listed in parallel by several worker processes; and a
// backfill whose workers all stop midway resumes from its saved continuation tokens.
import { afterEach, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { discoverBoundaries, partitionsFromBoundaries } from '../../../src/triggers/backfill-partitions.ts';
import { EMULATOR_ENV, spawnCli } from '../../helpers/cli.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }
  await cloud?.cleanup();
  cloud = undefined;
});

function seed(c: TestCloud, total: number, dirs: number, subdirs: number) {
  c.oss.store.seedObjects(
    c.bucket,
    (function* () {
      for (let i = 0; i < total; i++) {
        const d = i % dirs;
        const s = Math.floor(i / dirs) % subdirs;
        yield {
          key: `data/d${String(d).padStart(2, '0')}/s${String(s).padStart(2, '0')}/obj-${String(i).padStart(7, '0')}.bin`,
          body: 'x',
        };
      }
      yield { key: 'top-level-file.txt', body: 'top' };
      yield { key: 'zz-last.txt', body: 'last' };
    })(),
  );
}

it('partitions cover every key exactly once', async () => {
  cloud = await testCloud();
  seed(cloud, 2_000, 5, 4);
  const store = await cloud.services.makeObjectStore(cloud.config({ datasetId: 'x' }).source);
  const boundaries = await discoverBoundaries(store, '', { depth: 3, maxPartitions: 64 });
  // data/ -> data/dNN/ -> data/dNN/sNN/: 20 leaf prefixes at depth 3.
  expect(boundaries).toHaveLength(20);
  const parts = partitionsFromBoundaries(boundaries);
  expect(parts).toHaveLength(21);
  const narrow = await discoverBoundaries(store, '', { depth: 3, maxPartitions: 8 });
  // Past the width budget discovery stops at the last level that fit.
  expect(narrow.length).toBeLessThanOrEqual(8);
  expect(narrow.length).toBeGreaterThan(0);
});

it(
  'a backfill of 200,000 objects across several worker processes ends with records exactly equal to the objects',
  { timeout: 600_000 },
  async () => {
    cloud = await testCloud();
    seed(cloud, 200_000, 20, 10);
    const config = cloud.config({ datasetName: 'backfill', datasetEdition: 'LOGICAL' });
    const datasetId = await cloud.datasetId({ datasetName: 'backfill', datasetEdition: 'LOGICAL' });
    const store = await cloud.services.makeObjectStore(config.source);
    const partitions = partitionsFromBoundaries(
      await discoverBoundaries(store, '', { depth: 2, maxPartitions: 64 }),
    );
    expect(partitions.length).toBeGreaterThan(10);
    const runId = await startRun(cloud.services, toRunBinding(config, datasetId), {
      kind: 'backfill',
      partitions,
    });
    const flat = cloud.flat();
    for (let i = 0; i < 3; i++) {
      children.push(
        spawnCli(
          ['worker', '--redis-url', String(flat.redisUrl), '--queue-prefix', String(flat.queuePrefix)],
          { ...EMULATOR_ENV, LOG_LEVEL: 'warn' },
        ),
      );
    }
    // Bounded queue depth while it runs: listing never races ahead of the writers without limit.
    let maxWaitingSync = 0;
    const watch = setInterval(() => {
      void cloud!.services.syncQueue
        .getWaitingCount()
        .then((n) => (maxWaitingSync = Math.max(maxWaitingSync, n)));
    }, 100);
    const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 540_000, pollMs: 250 }).finally(
      () => clearInterval(watch),
    );
    expect(run.status).toBe('completed');
    expect(run.counters.partitionsDone).toBe(partitions.length);
    const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId });
    expect(cmp.records).toBe(200_002);
    expect({
      missing: cmp.missing.length,
      extra: cmp.extra.length,
      duplicates: cmp.duplicates.length,
      mismatched: cmp.mismatched.length,
    }).toEqual({
      missing: 0,
      extra: 0,
      duplicates: 0,
      mismatched: 0,
    });
    expect(maxWaitingSync).toBeLessThanOrEqual(cloud.services.maxQueuedSyncJobs + 3 * 4);
  },
);

it(
  'a backfill whose workers all stop midway resumes without re-listing what was done',
  { timeout: 180_000 },
  async () => {
    cloud = await testCloud({ pai: { faults: { latencyMs: 30 } } });
    seed(cloud, 40_000, 4, 2);
    const config = cloud.config({ datasetName: 'resume', batchMaxItems: 100, apiConcurrency: 2 });
    const datasetId = await cloud.datasetId({ datasetName: 'resume' });
    const store = await cloud.services.makeObjectStore(config.source);
    const partitions = partitionsFromBoundaries(
      await discoverBoundaries(store, '', { depth: 2, maxPartitions: 16 }),
    );
    cloud.oss.resetStats();
    const runId = await startRun(cloud.services, toRunBinding(config, datasetId), {
      kind: 'backfill',
      partitions,
    });
    let pool = cloud.startWorkers({ scanConcurrency: 2, syncConcurrency: 2 });
    while ((await cloud.services.runs.get(runId))!.counters.pages < 15)
      await new Promise((r) => setTimeout(r, 20));
    // Every worker stops (gracefully: jobs in hand finish).
    await pool.close();
    const listedBefore = cloud.oss.stats.byOperation.ListObjectsV2 ?? 0;
    const mid = (await cloud.services.runs.get(runId))!;
    expect(mid.status).toBe('running');
    expect(mid.counters.pages).toBeLessThan(40);

    pool = cloud.startWorkers({ scanConcurrency: 2, syncConcurrency: 2 });
    const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 150_000 });
    expect(run.status).toBe('completed');
    const listedTotal = cloud.oss.stats.byOperation.ListObjectsV2 ?? 0;
    // 40,002 keys in <= 1000-key pages per range: a restart from the beginning would list the first pages again.
    expect(listedTotal).toBe(run.counters.pages);
    expect(listedTotal - listedBefore).toBe(run.counters.pages - mid.counters.pages);
    const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId });
    expect(cmp.ok).toBe(true);
  },
);

it(
  'the backpressure bound is configurable: waiting sync jobs stay near it',
  { timeout: 120_000 },
  async () => {
    cloud = await testCloud({ maxQueuedSyncJobs: 3, pai: { faults: { latencyMs: 20 } } });
    seed(cloud, 30_000, 10, 3);
    const config = cloud.config({ datasetName: 'bp', apiConcurrency: 2 });
    const datasetId = await cloud.datasetId({ datasetName: 'bp' });
    const store = await cloud.services.makeObjectStore(config.source);
    const partitions = partitionsFromBoundaries(
      await discoverBoundaries(store, '', { depth: 2, maxPartitions: 32 }),
    );
    const runId = await startRun(cloud.services, toRunBinding(config, datasetId), {
      kind: 'backfill',
      partitions,
    });
    cloud.startWorkers({ scanConcurrency: 4, syncConcurrency: 2 });
    let maxWaiting = 0;
    const watch = setInterval(() => {
      void cloud!.services.syncQueue.getWaitingCount().then((n) => (maxWaiting = Math.max(maxWaiting, n)));
    }, 20);
    const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 110_000 }).finally(() =>
      clearInterval(watch),
    );
    expect(run.status).toBe('completed');
    // The check happens before a page is listed, so at most one page per scan slot can overshoot the bound.
    expect(maxWaiting).toBeGreaterThan(0);
    expect(maxWaiting).toBeLessThanOrEqual(3 + 4);
    expect(compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId }).ok).toBe(true);
  },
);
