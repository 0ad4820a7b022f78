// The kill storm for an IMM binding: worker processes SIGKILLed again and again mid-run with IMM faults on
// (asynchronous indexing, index failures, 5xx). The run must still end with one file per object, nothing
// missing, nothing stale, and a second sync must make zero write calls. Every wait is on a condition.
import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { LOCAL_IMM_PROJECT } from '../../../../src/demo/local-cloud.ts';
import { startRun, toRunBinding } from '../../../../src/runs/start-run.ts';
import { waitForRun } from '../../../../src/runs/wait.ts';
import { EMULATOR_ENV, spawnCli } from '../../../helpers/cli.ts';
import { testCloud, type TestCloud } from '../../../helpers/cloud.ts';
import { compareImmDatasetWithBucket, immWriteCalls } from '../../../helpers/imm-compare.ts';
import { waitFor } from '../../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await cloud?.cleanup();
  cloud = undefined;
});

const IMM = {
  target: 'imm',
  immProject: LOCAL_IMM_PROJECT,
  immDataset: 'storm',
  batchMaxItems: 40,
  maxRetries: 30,
};

function startWorker(c: TestCloud): ChildProcess {
  const child = spawnCli(
    [
      'worker',
      '--redis-url',
      String(c.flat().redisUrl),
      '--queue-prefix',
      String(c.flat().queuePrefix),
      '--lock-duration-ms',
      '3000',
    ],
    { ...EMULATOR_ENV, LOG_LEVEL: 'warn' },
  );
  children.push(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

it(
  'workers SIGKILLed three times mid-run with IMM faults on: one file per object, then a sync writes nothing',
  { timeout: 300_000 },
  async () => {
    cloud = await testCloud({
      imm: { faults: { indexDelayMs: 40, indexFailureRate: 0.05, errorRate: 0.03 } },
    });
    const OBJECTS = 3000;
    for (let i = 0; i < OBJECTS; i++)
      cloud.oss.store.putObject(cloud.bucket, `s/${String(i).padStart(5, '0')}.jpg`, `x${i}`);
    const config = cloud.config(IMM);
    const id = await cloud.datasetId(IMM);
    const runId = await startRun(cloud.services, toRunBinding(config, id));
    const c = cloud;
    const indexed = () => c.imm.store.getDataset(LOCAL_IMM_PROJECT, 'storm')?.FileCount ?? 0;

    let workers = [startWorker(cloud), startWorker(cloud)];
    for (const threshold of [400, 1000, 1800]) {
      await waitFor(() => indexed() >= threshold, { what: `${threshold} files indexed`, timeoutMs: 180_000 });
      // Kill every worker at once: batches sent and not yet confirmed, intents recorded, checkpoints pending.
      await Promise.all(workers.map(kill));
      const mid = await cloud.services.runs.get(runId);
      expect(mid?.status).toBe('running');
      workers = [startWorker(cloud), startWorker(cloud)];
    }
    const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 240_000, pollMs: 100 });
    expect(run.status).toBe('completed');
    const cmp = compareImmDatasetWithBucket(cloud.oss, cloud.imm, {
      bucket: cloud.bucket,
      project: LOCAL_IMM_PROJECT,
      dataset: 'storm',
    });
    expect({
      missing: cmp.missing,
      extra: cmp.extra,
      failed: cmp.failed,
      mismatched: cmp.mismatched,
    }).toEqual({
      missing: [],
      extra: [],
      failed: [],
      mismatched: [],
    });
    expect(cmp.objects).toBe(OBJECTS);
    expect(indexed()).toBe(OBJECTS);
    expect(cloud.imm.stats.indexFailed).toBeGreaterThan(0);

    const before = immWriteCalls(cloud.imm);
    const second = await startRun(cloud.services, toRunBinding(config, id));
    const again = await waitForRun(cloud.services.runs, second, { timeoutMs: 120_000, pollMs: 100 });
    expect(again.status).toBe('completed');
    expect(again.counters.unchanged).toBe(OBJECTS);
    expect(immWriteCalls(cloud.imm) - before).toBe(0);
    await Promise.all(workers.map(kill));
  },
);
