// Cron schedules: one run per tick, never two runs of a binding at once, at most one queued follow-up.
import { afterEach, expect, it } from 'vitest';
import { addSchedule, listSchedules, removeSchedule } from '../../../src/triggers/schedules.ts';
import type { RunRecord } from '../../../src/runs/run-types.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function allRuns(c: TestCloud): Promise<RunRecord[]> {
  const ids = await c.services.runs.list(1000);
  const runs = await Promise.all(ids.map((id) => c.services.runs.get(id)));
  return runs.filter((r): r is RunRecord => !!r).sort((a, b) => a.createdAt - b.createdAt);
}

/** Waits until every run has ended and no control job (tick or follow-up) is left, twice in a row. */
async function settle(c: TestCloud): Promise<RunRecord[]> {
  let quiet = 0;
  for (let i = 0; i < 600 && quiet < 2; i++) {
    const runs = await allRuns(c);
    const counts = await c.services.controlQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const idle = Object.values(counts).every((n) => n === 0);
    quiet =
      idle && runs.every((r) => ['completed', 'failed', 'cancelled'].includes(r.status)) ? quiet + 1 : 0;
    await sleep(100);
  }
  if (quiet < 2) throw new Error('runs did not settle');
  return allRuns(c);
}

function expectNoOverlap(runs: RunRecord[]) {
  for (let i = 1; i < runs.length; i++) {
    expect(runs[i]!.startedAt!).toBeGreaterThanOrEqual(runs[i - 1]!.endedAt!);
  }
}

it('a short cron produces exactly one run per tick, none overlapping', { timeout: 60_000 }, async () => {
  cloud = await testCloud();
  for (let i = 0; i < 50; i++) cloud.oss.store.putObject(cloud.bucket, `s/${i}.txt`, `x${i}`);
  await cloud.datasetId({ datasetName: 'sched' });
  await addSchedule(
    cloud.services.controlQueue,
    'every-2s',
    '*/2 * * * * *',
    'UTC',
    cloud.flat({ datasetName: 'sched' }),
  );
  expect((await listSchedules(cloud.services.controlQueue)).map((s) => s.name)).toEqual(['every-2s']);
  cloud.startWorkers();
  await sleep(7_000);
  expect(await removeSchedule(cloud.services.controlQueue, 'every-2s')).toBe(true);
  const runs = await settle(cloud);

  const ticks = await cloud.services.controlQueue.getJobs(['completed'], 0, -1);
  const started = ticks.filter((j) => j.name === 'tick' && (j.returnvalue as { runId?: string })?.runId);
  expect(runs.length).toBeGreaterThanOrEqual(3);
  expect(runs.length).toBe(started.length);
  expect(new Set(started.map((j) => (j.returnvalue as { runId: string }).runId))).toEqual(
    new Set(runs.map((r) => r.runId)),
  );
  expect(runs.every((r) => r.kind === 'scheduled' && r.status === 'completed')).toBe(true);
  expectNoOverlap(runs);
  // The first run created the records; later ones found nothing to do.
  expect(runs[0]!.counters.created).toBe(50);
  expect(runs.slice(1).every((r) => r.counters.unchanged === 50 && r.counters.created === 0)).toBe(true);
});

it(
  'ticks during a long run leave at most one follow-up, and runs never overlap',
  { timeout: 90_000 },
  async () => {
    // Each run takes a few seconds (slow PAI), ticks come every second.
    cloud = await testCloud({ pai: { faults: { latencyMs: 300 } } });
    for (let i = 0; i < 600; i++) cloud.oss.store.putObject(cloud.bucket, `l/${i}.txt`, `x${i}`);
    await cloud.datasetId({ datasetName: 'long' });
    cloud.startWorkers();
    await addSchedule(
      cloud.services.controlQueue,
      'every-1s',
      '* * * * * *',
      'UTC',
      cloud.flat({ datasetName: 'long', batchMaxItems: 20, apiConcurrency: 2 }),
    );
    await sleep(5_000);
    await removeSchedule(cloud.services.controlQueue, 'every-1s');
    const runs = await settle(cloud);
    const ticks = (await cloud.services.controlQueue.getJobs(['completed'], 0, -1)).filter(
      (j) => j.name === 'tick',
    );
    const deferred = ticks.filter((j) => (j.returnvalue as { deferred?: string })?.deferred);
    expect(deferred.length).toBeGreaterThan(0);
    // Many ticks were deferred, but they collapsed into at most one follow-up each time a run ended.
    expect(runs.length).toBeLessThan(ticks.length);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expectNoOverlap(runs);
    expect(runs[0]!.counters.created).toBe(600);
  },
);
