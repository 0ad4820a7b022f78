// A worker process killed with SIGKILL mid-run, then restarted: the run still finishes with exactly one
// record per object (stalled jobs are retried; re-done pages heal through "Uri already exists").
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { EMULATOR_ENV, spawnCli } from '../../helpers/cli.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

function startWorkerProcess(c: TestCloud) {
  const child = spawnCli(
    [
      'worker',
      '--redis-url',
      c.flat().redisUrl as string,
      '--queue-prefix',
      c.flat().queuePrefix as string,
      '--lock-duration-ms',
      '3000',
    ],
    { ...EMULATOR_ENV, LOG_LEVEL: 'warn' },
  );
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  return { child, stderr: () => err };
}

it('a worker killed with SIGKILL mid-run is replaced and the run ends with exactly one record per object', async () => {
  // Slow PAI down so the kill lands mid-run.
  cloud = await testCloud({ pai: { faults: { latencyMs: 40 } } });
  for (let i = 0; i < 4000; i++)
    cloud.oss.store.putObject(cloud.bucket, `k/${String(i).padStart(5, '0')}.txt`, `x${i}`);
  const config = cloud.config({ datasetName: 'crash', batchMaxItems: 50 });
  const datasetId = await cloud.datasetId({ datasetName: 'crash' });
  const runId = await startRun(cloud.services, toRunBinding(config, datasetId));

  const first = startWorkerProcess(cloud);
  // Wait until some records exist, then kill without warning.
  const c = cloud;
  await waitFor(() => c.pai.store.listRecords(datasetId, 'v1').length >= 600, {
    what: '600 records from the first worker',
    timeoutMs: 180_000,
    describe: () => first.stderr(),
  });
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  const mid = await cloud.services.runs.get(runId);
  expect(mid?.status).toBe('running');

  const second = startWorkerProcess(cloud);
  try {
    const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 120_000, pollMs: 100 }).catch(
      async (err: Error) => {
        throw new Error(
          `${err.message}\nrun: ${JSON.stringify(await cloud!.services.runs.get(runId))}\nworker: ${second.stderr()}`,
        );
      },
    );
    expect(run.status).toBe('completed');
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }
  const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId });
  expect(cmp.duplicates).toEqual([]);
  expect(cmp.missing).toEqual([]);
  expect(cmp.extra).toEqual([]);
  expect(cmp.records).toBe(4000);
});
