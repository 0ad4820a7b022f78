// Shared by the backfill tests (npm test) and the 200,000-object one (npm run test:slow): a bucket shaped
// like a real backfill source, and a backfill listed by several worker PROCESSES that must end with records
// exactly equal to the objects.
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { discoverBoundaries, partitionsFromBoundaries } from '../../../src/triggers/backfill-partitions.ts';
import { EMULATOR_ENV, spawnCli } from '../../helpers/cli.ts';
import type { TestCloud } from '../../helpers/cloud.ts';

/** `dirs` top-level directories with `subdirs` each, plus two keys outside them (before and after). */
export function seedTree(c: TestCloud, total: number, dirs: number, subdirs: number) {
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

/** Seeds `total` objects, backfills them with three `worker` processes, and checks the outcome. */
export async function backfillAcrossWorkerProcesses(
  cloud: TestCloud,
  children: ChildProcess[],
  total: number,
  timeoutMs: number,
): Promise<void> {
  seedTree(cloud, total, 20, 10);
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
      spawnCli(['worker', '--redis-url', String(flat.redisUrl), '--queue-prefix', String(flat.queuePrefix)], {
        ...EMULATOR_ENV,
        LOG_LEVEL: 'warn',
      }),
    );
  }
  // Bounded queue depth while it runs: listing never races ahead of the writers without limit.
  let maxWaitingSync = 0;
  const watch = setInterval(() => {
    void cloud.services.syncQueue
      .getWaitingCount()
      .then((n) => (maxWaitingSync = Math.max(maxWaitingSync, n)));
  }, 100);
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs, pollMs: 250 }).finally(() =>
    clearInterval(watch),
  );
  expect(run.status).toBe('completed');
  expect(run.counters.partitionsDone).toBe(partitions.length);
  const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId });
  expect(cmp.records).toBe(total + 2);
  expect({
    missing: cmp.missing.length,
    extra: cmp.extra.length,
    duplicates: cmp.duplicates.length,
    mismatched: cmp.mismatched.length,
  }).toEqual({ missing: 0, extra: 0, duplicates: 0, mismatched: 0 });
  expect(maxWaitingSync).toBeLessThanOrEqual(cloud.services.maxQueuedSyncJobs + 3 * 4);
}
