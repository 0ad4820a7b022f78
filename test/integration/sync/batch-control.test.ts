// Run control and progress at batch granularity, and exactly once without the service refusing duplicates.
// One listing page of 600 objects is ONE sync job of 60 batches (batchMaxItems 10); the API gate allows 5
// calls per second, so the job takes at least 12 s and every check below waits on a condition.
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { controlRun } from '../../../src/runs/control.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { testCloud, writeCalls, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

const SLOW = { datasetName: 'ctl', batchMaxItems: 10, apiRps: 5, apiConcurrency: 2 };

async function startSlowRun(c: TestCloud, objects = 600): Promise<{ runId: string; datasetId: string }> {
  for (let i = 0; i < objects; i++)
    c.oss.store.putObject(c.bucket, `c/${String(i).padStart(4, '0')}`, `x${i}`);
  const datasetId = await c.datasetId(SLOW);
  const runId = await startRun(c.services, toRunBinding(c.config(SLOW), datasetId));
  return { runId, datasetId };
}

const idle = async (c: TestCloud) =>
  (await c.services.syncQueue.getActiveCount()) === 0 && (await c.services.scanQueue.getActiveCount()) === 0;

it(
  'counters advance batch by batch, before the page’s last batch is delivered',
  { timeout: 120_000 },
  async () => {
    cloud = await testCloud();
    cloud.startWorkers();
    const { runId } = await startSlowRun(cloud);
    const mid = await waitFor(
      async () => {
        const run = await cloud!.services.runs.get(runId);
        return run && run.counters.created > 0 && run.counters.created < 600 ? run : undefined;
      },
      { what: 'some but not all of the page created' },
    );
    // The page's one sync job is still at work: its progress shows before it ends.
    const jobs = await cloud.services.syncQueue.getJobs(['active', 'waiting', 'delayed'], 0, -1);
    expect(jobs.map((j) => j.id)).toContain(`${runId}.y.p0.0`);
    expect(mid.counters.created % 10).toBe(0); // whole batches
    const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 90_000, pollMs: 50 });
    expect(run.status).toBe('completed');
    expect(run.counters.created).toBe(600);
  },
);

it('after `run pause` and `run cancel` return, no new write call starts', { timeout: 120_000 }, async () => {
  cloud = await testCloud();
  cloud.startWorkers();
  const { runId, datasetId } = await startSlowRun(cloud);
  await waitFor(() => cloud!.pai.stats.accepted.created >= 50, { what: '50 records created' });

  await controlRun(cloud.services, runId, 'pause');
  const atPause = writeCalls(cloud);
  // The job stops between batches (it waits, delayed, for the run to resume).
  await waitFor(() => idle(cloud!), { what: 'no sync job at work' });
  // At most the calls in flight when pause returned (apiConcurrency) were completed after it.
  expect(writeCalls(cloud) - atPause).toBeLessThanOrEqual(SLOW.apiConcurrency);
  const paused = writeCalls(cloud);
  expect((await cloud.services.runs.get(runId))?.status).toBe('paused');

  await controlRun(cloud.services, runId, 'resume');
  await waitFor(() => writeCalls(cloud!) >= paused + 3, { what: 'writes resumed' });

  await controlRun(cloud.services, runId, 'cancel');
  const atCancel = writeCalls(cloud);
  await waitFor(() => idle(cloud!), { what: 'no job at work' });
  expect(writeCalls(cloud) - atCancel).toBeLessThanOrEqual(SLOW.apiConcurrency);
  const run = await cloud.services.runs.get(runId);
  expect(run?.status).toBe('cancelled');
  expect(cloud.pai.store.listRecords(datasetId, 'v1').length).toBeLessThan(600);
  // What was written is counted, and matches the state: nothing half-recorded.
  expect(run?.counters.created).toBe(cloud.pai.stats.accepted.created);
});

it(
  'lost answers against a PAI that accepts duplicate Uris: one record per object, exact counters',
  { timeout: 120_000 },
  async () => {
    cloud = await testCloud({
      pai: { allowDuplicateUris: true, faults: { lostAnswerRate: 0.3, errorRate: 0.05 } },
    });
    for (let i = 0; i < 1000; i++) cloud.oss.store.putObject(cloud.bucket, `l/${i}`, `x${i}`);
    cloud.startWorkers();
    const run = await cloud.sync({ datasetName: 'lost', batchMaxItems: 20 });
    expect(run.status).toBe('completed');
    expect(cloud.pai.stats.lostAnswers).toBeGreaterThan(0);
    const datasetId = await cloud.datasetId({ datasetName: 'lost' });
    const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, {
      bucket: cloud.bucket,
      datasetId,
      prefix: 'l/',
    });
    expect(cmp.duplicates).toEqual([]);
    expect(cmp.missing).toEqual([]);
    const a = cloud.pai.stats.accepted;
    const c = run.counters;
    expect(c.created + c.updated + c.deleted).toBe(a.created + a.updated + a.deleted);
    // The lost creates were adopted by looking them up, not re-sent: no more creates than objects.
    expect(a.created).toBe(1000);
  },
);
