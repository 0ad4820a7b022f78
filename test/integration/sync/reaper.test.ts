// A run whose last job finished but whose finalizer died (claim lost, worker killed) is closed by any worker.
import { afterEach, expect, it } from 'vitest';
import { CONTROL_EVENTS } from '../../../src/queue/keys.ts';
import { drainJobId, eventRunId } from '../../../src/runs/job-ids.ts';
import { toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

it('closes an orphaned run, and leaves young and active runs (an upload-event drain too) alone', async () => {
  cloud = await testCloud();
  const datasetId = await cloud.datasetId();
  const binding = toRunBinding(cloud.config({ datasetName: 'test-dataset' }), datasetId);
  const runs = cloud.services.runs;
  const old = Date.now() - 5 * 60_000;
  await runs.create('rorphan', 'sync', binding, old);
  await runs.setStatus('rorphan', 'running');
  await runs.create('ryoung', 'sync', binding);
  await runs.setStatus('ryoung', 'running');
  await runs.create('rbusy', 'sync', binding, old);
  await runs.setStatus('rbusy', 'running');
  await runs.addPending('rbusy', ['rbusy.s.p0.0']);
  // Its pending job really exists (waiting far in the future): a pending id with no job would be "lost".
  await cloud.services.scanQueue.add(
    'scan',
    { runId: 'rbusy', partition: { id: 'p0' }, page: 0 },
    { jobId: 'rbusy.s.p0.0', delay: 3_600_000 },
  );

  // An upload-event drain still working: its pending id names its run, not its control job's BullMQ id.
  const drain = await cloud.services.controlQueue.add(
    CONTROL_EVENTS,
    { bindingId: 'b', config: {}, debounceMs: 0 },
    { delay: 3_600_000 },
  );
  const drainRun = eventRunId(drain.timestamp, drain.id!);
  await runs.create(drainRun, 'events', binding, old);
  await runs.setStatus(drainRun, 'running');
  await runs.addPending(drainRun, [drainJobId(drainRun)]);

  cloud.startWorkers({ reapIntervalMs: 100 });
  const closed = await waitForRun(runs, 'rorphan', { timeoutMs: 180_000 });
  expect(closed.status).toBe('completed');
  expect((await runs.get('ryoung'))!.status).toBe('running');
  // Several reaper passes later the busy run is still open: each new orphan closing proves one more pass.
  for (const id of ['rorphan2', 'rorphan3']) {
    await runs.create(id, 'sync', binding, old);
    await runs.setStatus(id, 'running');
    expect((await waitForRun(runs, id, { timeoutMs: 180_000 })).status).toBe('completed');
  }
  expect((await runs.get('rbusy'))!.status).toBe('running');
  expect((await runs.get(drainRun))!.status).toBe('running');
  expect((await runs.get('ryoung'))!.status).toBe('running');
});

it('releases pending jobs that failed for good or vanished, then closes the run', async () => {
  cloud = await testCloud();
  const datasetId = await cloud.datasetId();
  const binding = toRunBinding(cloud.config({ datasetName: 'test-dataset' }), datasetId);
  const runs = cloud.services.runs;
  await runs.create('rlost', 'sync', binding, Date.now() - 5 * 60_000);
  await runs.setStatus('rlost', 'running');
  // A registration whose job was never added (the process died in between).
  await runs.addPending('rlost', ['rlost.y.p0.7']);
  cloud.startWorkers({ reapIntervalMs: 100 });
  const closed = await waitForRun(runs, 'rlost', { timeoutMs: 180_000 });
  expect(closed.status).toBe('failed');
  expect(closed.error).toMatch(/job rlost\.y\.p0\.7 was lost before it ran/);
});
