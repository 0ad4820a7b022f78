// pause / resume / cancel of a run.
import { afterEach, expect, it } from 'vitest';
import { controlRun, RunControlError } from '../../../src/runs/control.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

it('a paused run makes no progress until resumed, then completes', async () => {
  cloud = await testCloud({ pai: { faults: { latencyMs: 50 } } });
  for (let i = 0; i < 3000; i++)
    cloud.oss.store.putObject(cloud.bucket, `p/${String(i).padStart(5, '0')}`, `x${i}`);
  const config = cloud.config({ datasetName: 'pause', batchMaxItems: 50, apiConcurrency: 2 });
  const datasetId = await cloud.datasetId({ datasetName: 'pause' });
  const runId = await startRun(cloud.services, toRunBinding(config, datasetId));
  await controlRun(cloud.services, runId, 'pause');
  cloud.startWorkers();
  // A worker took the run's first scan job twice and postponed it both times (not: some time has passed).
  const c = cloud;
  await waitFor(
    async () =>
      (await c.services.scanQueue.getJobs(['delayed', 'waiting', 'active', 'completed'], 0, -1)).some(
        (j) => (j.data as { runId?: string }).runId === runId && (j.attemptsStarted ?? 0) >= 2,
      ),
    { what: 'the paused scan job to be postponed twice' },
  );
  const paused = await cloud.services.runs.get(runId);
  expect(paused!.status).toBe('paused');
  expect(paused!.counters.pages).toBe(0);
  await expect(
    controlRun(cloud.services, runId, 'pause').then(() => controlRun(cloud!.services, 'nope', 'resume')),
  ).rejects.toThrow(RunControlError);
  await controlRun(cloud.services, runId, 'resume');
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 180_000 });
  expect(run.status).toBe('completed');
  expect(compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId }).ok).toBe(true);
});

it('a cancelled run stops, deletes nothing, and frees the binding for the next run', async () => {
  cloud = await testCloud({ pai: { faults: { latencyMs: 50 } } });
  for (let i = 0; i < 5000; i++)
    cloud.oss.store.putObject(cloud.bucket, `c/${String(i).padStart(5, '0')}`, `x${i}`);
  const config = cloud.config({ datasetName: 'cancel', batchMaxItems: 50, apiConcurrency: 2 });
  const datasetId = await cloud.datasetId({ datasetName: 'cancel' });
  // One job at a time, so that cancelling leaves queued pages to drop.
  cloud.startWorkers({ scanConcurrency: 1, syncConcurrency: 1 });
  const runId = await startRun(cloud.services, toRunBinding(config, datasetId));
  const c = cloud;
  await waitFor(async () => ((await c.services.runs.get(runId))!.counters.created ?? 0) >= 100, {
    what: '100 records created',
  });
  expect(await controlRun(cloud.services, runId, 'cancel')).toBe('cancelled');
  const ended = await waitForRun(cloud.services.runs, runId, { timeoutMs: 180_000 });
  expect(ended.status).toBe('cancelled');
  expect(ended.counters.deleted).toBe(0);
  const partial = cloud.pai.store.listRecords(datasetId, 'v1').length;
  expect(partial).toBeLessThan(5000);
  // The binding is free: a new run completes the job.
  const next = await waitForRun(
    cloud.services.runs,
    await startRun(cloud.services, toRunBinding(config, datasetId)),
    { timeoutMs: 180_000 },
  );
  expect(next.status).toBe('completed');
  expect(cloud.pai.store.listRecords(datasetId, 'v1')).toHaveLength(5000);
});
