// Cron schedules: one run per tick, never two runs of a binding at once, at most one queued follow-up.
import { afterEach, expect, it } from 'vitest';
import { addSchedule, listSchedules, removeSchedule } from '../../../src/triggers/schedules.ts';
import type { RunRecord } from '../../../src/runs/run-types.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

async function allRuns(c: TestCloud): Promise<RunRecord[]> {
  const ids = await c.services.runs.list(1000);
  const runs = await Promise.all(ids.map((id) => c.services.runs.get(id)));
  return runs.filter((r): r is RunRecord => !!r).sort((a, b) => a.createdAt - b.createdAt);
}

/** Waits until every run has ended and no control job (tick or follow-up) is left, twice in a row. */
async function settle(c: TestCloud): Promise<RunRecord[]> {
  let quiet = 0;
  await waitFor(
    async () => {
      const runs = await allRuns(c);
      const counts = await c.services.controlQueue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
      );
      const idle = Object.values(counts).every((n) => n === 0);
      quiet =
        idle && runs.every((r) => ['completed', 'failed', 'cancelled'].includes(r.status)) ? quiet + 1 : 0;
      return quiet >= 2;
    },
    { what: 'runs and control jobs to settle', intervalMs: 100, timeoutMs: 180_000 },
  );
  return allRuns(c);
}

async function completedTicks(c: TestCloud) {
  return (await c.services.controlQueue.getJobs(['completed'], 0, -1)).filter((j) => j.name === 'tick');
}

function expectNoOverlap(runs: RunRecord[]) {
  for (let i = 1; i < runs.length; i++) {
    expect(runs[i]!.startedAt!).toBeGreaterThanOrEqual(runs[i - 1]!.endedAt!);
  }
}

it('a short cron produces exactly one run per tick, none overlapping', async () => {
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
  // However slow the machine, wait for three ticks that each started a run (not for a number of seconds).
  const c = cloud;
  await waitFor(
    async () =>
      (await completedTicks(c)).filter((j) => (j.returnvalue as { runId?: string })?.runId).length >= 3,
    { what: 'three ticks that started a run', timeoutMs: 180_000 },
  );
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

it('ticks during a long run leave at most one follow-up, and runs never overlap', async () => {
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
  // Wait (on the condition, not the clock) until one run saw two ticks deferred and a second run began.
  const c = cloud;
  const deferredOf = (ticks: Awaited<ReturnType<typeof completedTicks>>) =>
    ticks
      .map((j) => (j.returnvalue as { deferred?: string } | undefined)?.deferred)
      .filter((d): d is string => !!d);
  await waitFor(
    async () => {
      const d = deferredOf(await completedTicks(c));
      return d.length > new Set(d).size && (await allRuns(c)).length >= 2;
    },
    { what: 'two ticks deferred by one run, and a second run', timeoutMs: 180_000 },
  );
  await removeSchedule(cloud.services.controlQueue, 'every-1s');
  const runs = await settle(cloud);
  const ticks = await completedTicks(cloud);
  const deferred = deferredOf(ticks);
  expect(deferred.length).toBeGreaterThan(new Set(deferred).size);
  // Many ticks were deferred, but they collapsed into at most one follow-up each time a run ended.
  const startedByTick = new Set(
    ticks.map((j) => (j.returnvalue as { runId?: string })?.runId).filter(Boolean),
  );
  const followUps = runs.filter((r) => !startedByTick.has(r.runId));
  expect(followUps.length).toBeLessThanOrEqual(new Set(deferred).size);
  expect(runs.length).toBeLessThan(ticks.length);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  expectNoOverlap(runs);
  expect(runs[0]!.counters.created).toBe(600);
});
