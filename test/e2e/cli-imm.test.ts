// The CLI with an IMM binding, as a user runs it: dry run, sync (JSON report), a second sync writing
// nothing, state rebuild from SimpleQuery after the state was lost, and the missing-project error.
import { afterEach, expect, it } from 'vitest';
import { LOCAL_IMM_PROJECT } from '../../src/demo/local-cloud.ts';
import { EMULATOR_ENV, runCli } from '../helpers/cli.ts';
import { testCloud, type TestCloud } from '../helpers/cloud.ts';
import { compareImmDatasetWithBucket, immWriteCalls } from '../helpers/imm-compare.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

function immFlags(c: TestCloud, project = LOCAL_IMM_PROJECT): string[] {
  const f = c.flat();
  return [
    ...['--bucket', String(f.bucket), '--oss-endpoint', String(f.ossEndpoint)],
    ...['--target', 'imm', '--imm-project', project, '--imm-dataset', 'cli-photos'],
    ...['--imm-endpoint', c.imm.endpoint, '--imm-protocol', 'http'],
    ...['--redis-url', String(f.redisUrl), '--queue-prefix', String(f.queuePrefix)],
  ];
}

it('sync --target imm: dry run, real run, nothing to do, state rebuild', { timeout: 180_000 }, async () => {
  cloud = await testCloud({ imm: { faults: { indexDelayMs: 10 } } });
  for (let i = 0; i < 600; i++) cloud.oss.store.putObject(cloud.bucket, `cli/${i}.jpg`, `x${i}`);

  const dry = await runCli(['sync', ...immFlags(cloud), '--dry-run'], { env: EMULATOR_ENV });
  expect(dry.stderr).toBe('');
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/would create 600 {2}update 0 {2}delete 0/);
  expect(immWriteCalls(cloud.imm)).toBe(0);

  const first = await runCli(
    ['sync', ...immFlags(cloud), '--json', '--imm-template-id', 'Official:ImageManagement'],
    {
      env: EMULATOR_ENV,
    },
  );
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const report = JSON.parse(first.stdout) as { status: string; counters: Record<string, number> };
  expect(report).toMatchObject({ status: 'completed', counters: { created: 600, rejected: 0 } });
  const cmp = compareImmDatasetWithBucket(cloud.oss, cloud.imm, {
    bucket: cloud.bucket,
    project: LOCAL_IMM_PROJECT,
    dataset: 'cli-photos',
  });
  expect([cmp.objects, cmp.missing, cmp.extra, cmp.mismatched]).toEqual([600, [], [], []]);

  // State lost: rebuild it from the dataset, then a sync finds nothing to write.
  const redis = cloud.services.redis;
  const stateKeys = await redis.keys(`${String(cloud.flat().queuePrefix)}:ops:state:*`);
  expect(stateKeys.length).toBeGreaterThan(0);
  await redis.del(...stateKeys);
  const lost = await runCli(['sync', ...immFlags(cloud), '--dry-run'], { env: EMULATOR_ENV });
  expect(lost.code).toBe(0);
  expect(lost.stderr).toMatch(/A real run rebuilds the state from the dataset first/);
  const rebuilt = await runCli(['state', 'rebuild', ...immFlags(cloud)], { env: EMULATOR_ENV });
  expect(rebuilt.stderr).toBe('');
  expect(rebuilt.stdout).toMatch(/state rebuilt: 600 record\(s\) kept of 600/);

  const verify = await runCli(['verify', ...immFlags(cloud)], { env: EMULATOR_ENV });
  expect(verify.stderr).toBe('');
  expect(verify.stdout).toMatch(/against IMM dataset local-project\/cli-photos: IN SYNC/);
  expect(verify.code).toBe(0);

  const before = immWriteCalls(cloud.imm);
  const again = await runCli(['sync', ...immFlags(cloud)], { env: EMULATOR_ENV });
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/unchanged 600 {2}created 0 {2}updated 0 {2}deleted 0/);
  expect(immWriteCalls(cloud.imm) - before).toBe(0);
});

it('sync --target imm with a project that does not exist: one clear message, exit code 1', async () => {
  cloud = await testCloud();
  const res = await runCli(['sync', ...immFlags(cloud, 'missing-project')], { env: EMULATOR_ENV });
  expect(res.code).not.toBe(0);
  expect(res.stderr).toMatch(/IMM project "missing-project" does not exist/);
  expect(res.stderr).toMatch(/CreateProject --ProjectName missing-project/);
  expect(res.stderr).not.toMatch(/\n\s+at /);
  const noDataset = await runCli(
    ['sync', ...immFlags(cloud).filter((a) => a !== 'cli-photos' && a !== '--imm-dataset')],
    {
      env: EMULATOR_ENV,
    },
  );
  expect(noDataset.code).toBe(1);
  const query = await runCli(['query', ...immFlags(cloud), 'FileName="x"'], { env: EMULATOR_ENV });
  expect(query.code).toBe(1);
  expect(query.stderr).toMatch(/query runs PAI's QueryExpression DSL and does not read IMM datasets/);
  expect(noDataset.stderr).toMatch(/immDataset \(--imm-dataset\): is required with target imm/);
});

it(
  'demo --target imm: full and incremental sync into a local IMM dataset, verified in sync',
  { timeout: 180_000 },
  async () => {
    const res = await runCli(['demo', '--target', 'imm', '--images', '120', '--texts', '60'], {
      timeoutMs: 170_000,
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/IMM dataset local-project\/demo-dataset created/);
    expect(res.stdout).toMatch(/-> IMM dataset local-project\/demo-dataset/);
    expect(res.stdout).toMatch(/created 30 {2}updated 50 {2}deleted 20/);
    expect(res.stdout).toMatch(/IN SYNC/);
  },
);

it(
  'backfill --target imm: key ranges listed in parallel, one file per object',
  { timeout: 180_000 },
  async () => {
    cloud = await testCloud({ imm: { faults: { indexDelayMs: 10 } } });
    for (let d = 0; d < 8; d++)
      for (let i = 0; i < 150; i++)
        cloud.oss.store.putObject(cloud.bucket, `tree/d${d}/f${i}.jpg`, `b${d}-${i}`);
    const res = await runCli(['backfill', ...immFlags(cloud), '--json', '--depth', '2'], {
      env: EMULATOR_ENV,
      timeoutMs: 170_000,
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as { status: string; counters: Record<string, number> };
    expect(report).toMatchObject({ status: 'completed', counters: { created: 1200, rejected: 0 } });
    expect(report.counters.partitions).toBeGreaterThan(1);
    const cmp = compareImmDatasetWithBucket(cloud.oss, cloud.imm, {
      bucket: cloud.bucket,
      project: LOCAL_IMM_PROJECT,
      dataset: 'cli-photos',
    });
    expect([cmp.objects, cmp.missing, cmp.extra, cmp.failed, cmp.mismatched]).toEqual([1200, [], [], [], []]);
  },
);
