// The kill storm: a full sync while a worker PROCESS is SIGKILLed again and again, PAI failing in every way
// it plausibly can (5xx, per-item failures, throttling, answers lost after the write was applied) and
// ACCEPTING duplicate Uris, OSS answering SlowDown and resetting connections. What must hold at the end:
// the run completed, dataset == bucket (0 missing, 0 duplicates, 0 extra), the counters equal what PAI
// accepted, and a second sync makes no write call. Kills are driven by progress (every N items PAI
// accepted), never by the clock, so the scenario behaves alike on a fast and on a busy machine.
import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { EMULATOR_ENV, spawnCli } from '../../helpers/cli.ts';
import { writeCalls, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

export const STORM_PAI = {
  allowDuplicateUris: true,
  rps: 400,
  faults: { errorRate: 0.05, partialFailureRate: 0.1, lostAnswerRate: 0.05 },
} as const;
export const STORM_OSS = { faults: { slowDownRate: 0.03, resetRate: 0.02 } } as const;

export interface StormFigures {
  objects: number;
  kills: number;
  durationMs: number;
  createCalls: number;
  minimumCreateCalls: number;
  writeCalls: number;
  lostAnswers: number;
  duplicates: number;
  missing: number;
  extra: number;
  status: string;
  counters: { created: number; updated: number; deleted: number; duplicatesRemoved: number };
  accepted: { created: number; updated: number; deleted: number };
  secondSyncWriteCalls: number;
}

function startWorker(c: TestCloud, children: ChildProcess[]) {
  const child = spawnCli(
    [
      'worker',
      '--redis-url',
      String(c.flat().redisUrl),
      '--queue-prefix',
      String(c.flat().queuePrefix),
      '--lock-duration-ms',
      '2000',
    ],
    { ...EMULATOR_ENV, LOG_LEVEL: 'error' },
  );
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d) => (err = (err + String(d)).slice(-4000)));
  return { child, stderr: () => err };
}

const accepted = (c: TestCloud) => {
  const a = c.pai.stats.accepted;
  return a.created + a.updated + a.deleted;
};

export async function killStorm(
  c: TestCloud,
  children: ChildProcess[],
  opts: { objects: number; batchMaxItems: number; killEvery: number; timeoutMs: number },
): Promise<StormFigures> {
  for (let i = 0; i < opts.objects; i++)
    c.oss.store.putObject(c.bucket, `storm/${String(i).padStart(6, '0')}.txt`, `x${i}`);
  const flat = { datasetName: 'storm', batchMaxItems: opts.batchMaxItems, apiRps: 0, apiConcurrency: 8 };
  const config = c.config(flat);
  const datasetId = await c.datasetId(flat);
  c.pai.resetStats();
  const started = Date.now();
  const runId = await startRun(c.services, toRunBinding(config, datasetId));
  const ended = async () => {
    const run = await c.services.runs.get(runId);
    return run !== undefined && ['completed', 'failed', 'cancelled'].includes(run.status);
  };

  let kills = 0;
  const deadline = started + opts.timeoutMs;
  // Kill a worker each time PAI has accepted `killEvery` more items, until the run is over.
  while (!(await ended()) && Date.now() < deadline) {
    const w = startWorker(c, children);
    const from = accepted(c);
    const progressed = await waitFor(
      async () => (await ended()) || accepted(c) >= from + opts.killEvery || w.child.exitCode !== null,
      {
        timeoutMs: Math.max(1, deadline - Date.now()),
        what: `${opts.killEvery} more accepted items`,
        describe: () => ({ accepted: accepted(c), worker: w.stderr() }),
      },
    );
    expect(w.child.exitCode, `worker exited by itself: ${w.stderr()}`).toBeNull();
    if (progressed && !(await ended())) {
      w.child.kill('SIGKILL');
      kills++;
    } else w.child.kill('SIGTERM');
    await new Promise((r) =>
      w.child.exitCode !== null || w.child.signalCode !== null ? r(null) : w.child.once('exit', r),
    );
  }
  const run = await waitForRun(c.services.runs, runId, { timeoutMs: 60_000, pollMs: 100 });
  const durationMs = Date.now() - started;

  const cmp = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'storm/' });
  const figures: StormFigures = {
    objects: opts.objects,
    kills,
    durationMs,
    createCalls: c.pai.stats.calls.CreateDatasetFileMetas ?? 0,
    minimumCreateCalls: Math.ceil(opts.objects / opts.batchMaxItems),
    writeCalls: writeCalls(c),
    lostAnswers: c.pai.stats.lostAnswers,
    duplicates: cmp.duplicates.length,
    missing: cmp.missing.length,
    extra: cmp.extra.length,
    status: run.status,
    counters: {
      created: run.counters.created,
      updated: run.counters.updated,
      deleted: run.counters.deleted,
      duplicatesRemoved: run.counters.duplicatesRemoved,
    },
    accepted: { ...c.pai.stats.accepted },
    secondSyncWriteCalls: -1,
  };

  // A second sync with the faults off: the state knows every record, nothing is written.
  c.pai.setFaults({ errorRate: 0, partialFailureRate: 0, lostAnswerRate: 0 });
  c.oss.setFaults({ slowDownRate: 0, resetRate: 0 });
  const before = writeCalls(c);
  c.startWorkers();
  const second = await c.sync(flat);
  figures.secondSyncWriteCalls = writeCalls(c) - before;
  expect(second.status).toBe('completed');
  return figures;
}

/** The assertions every storm must pass, whatever its size. */
export function expectStormHeld(f: StormFigures): void {
  expect(f.status).toBe('completed');
  expect(f.missing).toBe(0);
  expect(f.duplicates).toBe(0);
  expect(f.extra).toBe(0);
  // Exact counters: what the report says was written is what PAI accepted, kills and lost answers included.
  expect(f.counters.created + f.counters.updated + f.counters.deleted).toBe(
    f.accepted.created + f.accepted.updated + f.accepted.deleted,
  );
  expect(f.secondSyncWriteCalls).toBe(0);
}
