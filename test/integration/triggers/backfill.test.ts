// Backfill: key ranges from delimiter discovery, listed in parallel by several worker processes; and a
// backfill whose workers all stop midway resumes from its saved continuation tokens.
import { afterEach, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { discoverBoundaries, partitionsFromBoundaries } from '../../../src/triggers/backfill-partitions.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { backfillAcrossWorkerProcesses, seedTree } from './backfill-scenario.ts';

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

it('partitions cover every key exactly once', async () => {
  cloud = await testCloud();
  seedTree(cloud, 2_000, 5, 4);
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

// The same at 200,000 objects runs in `npm run test:slow` (backfill-200k.slow.test.ts).
it('a backfill of 20,000 objects across three worker processes ends with records exactly equal to the objects', async () => {
  cloud = await testCloud();
  await backfillAcrossWorkerProcesses(cloud, children, 20_000, 170_000);
});

it('a backfill whose workers all stop midway resumes without re-listing what was done', async () => {
  cloud = await testCloud({ pai: { faults: { latencyMs: 30 } } });
  seedTree(cloud, 40_000, 4, 2);
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
  const c = cloud;
  await waitFor(async () => (await c.services.runs.get(runId))!.counters.pages >= 15, {
    what: '15 pages listed',
  });
  // Every worker stops (gracefully: jobs in hand finish).
  await pool.close();
  const listedBefore = cloud.oss.stats.byOperation.ListObjectsV2 ?? 0;
  const mid = (await cloud.services.runs.get(runId))!;
  expect(mid.status).toBe('running');

  pool = cloud.startWorkers({ scanConcurrency: 2, syncConcurrency: 2 });
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 180_000 });
  expect(run.status).toBe('completed');
  const listedTotal = cloud.oss.stats.byOperation.ListObjectsV2 ?? 0;
  // 40,002 keys in <= 1000-key pages per range: a restart from the beginning would list the first pages again.
  expect(listedTotal).toBe(run.counters.pages);
  expect(listedTotal - listedBefore).toBe(run.counters.pages - mid.counters.pages);
  // The restart really had pages left to list (whatever the stop caught in flight).
  expect(mid.counters.pages).toBeLessThan(run.counters.pages);
  const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId });
  expect(cmp.ok).toBe(true);
});

it('the backpressure bound is configurable: waiting sync jobs stay near it', async () => {
  cloud = await testCloud({ maxQueuedSyncJobs: 3, pai: { faults: { latencyMs: 20 } } });
  seedTree(cloud, 30_000, 10, 3);
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
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 180_000 }).finally(() =>
    clearInterval(watch),
  );
  expect(run.status).toBe('completed');
  // The check happens before a page is listed, so at most one page per scan slot can overshoot the bound.
  expect(maxWaiting).toBeGreaterThan(0);
  expect(maxWaiting).toBeLessThanOrEqual(3 + 4);
  expect(compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId }).ok).toBe(true);
});
