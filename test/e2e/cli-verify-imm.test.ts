// verify works for every target: an IMM binding, read through the IMM sink's SimpleQuery, in sync, then with
// an object never indexed (missing, exit 3), then repaired by --fix through a run.
import { afterEach, expect, it } from 'vitest';
import { LOCAL_IMM_PROJECT } from '../../src/demo/local-cloud.ts';
import { EMULATOR_ENV, runCli } from '../helpers/cli.ts';
import { testCloud, type TestCloud } from '../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

it('verify --target imm: in sync, drift found, repaired with --fix', { timeout: 180_000 }, async () => {
  cloud = await testCloud({ imm: { faults: { indexDelayMs: 10 } } });
  const c = cloud;
  for (let i = 0; i < 120; i++) c.oss.store.putObject(c.bucket, `im/${i}.jpg`, `x${i}`);
  const f = c.flat();
  const flags = [
    ...['--bucket', String(f.bucket), '--oss-endpoint', String(f.ossEndpoint)],
    ...['--target', 'imm', '--imm-project', LOCAL_IMM_PROJECT, '--imm-dataset', 'verify-photos'],
    ...['--imm-endpoint', c.imm.endpoint, '--imm-protocol', 'http'],
    ...['--redis-url', String(f.redisUrl), '--queue-prefix', String(f.queuePrefix)],
  ];
  const sync = await runCli(['sync', ...flags, '--imm-template-id', 'Official:ImageManagement'], {
    env: EMULATOR_ENV,
  });
  expect(sync.code).toBe(0);

  const clean = await runCli(['verify', ...flags, '--json'], { env: EMULATOR_ENV });
  expect(clean.stderr).toBe('');
  expect(clean.code).toBe(0);
  expect(JSON.parse(clean.stdout)).toMatchObject({ objects: 120, records: 120, missing: 0, stale: 0 });

  c.oss.store.putObject(c.bucket, 'im/late.jpg', 'late');
  const drift = await runCli(['verify', ...flags], { env: EMULATOR_ENV });
  expect(drift.code).toBe(3);
  expect(drift.stdout).toMatch(/against IMM dataset .*\/verify-photos: DRIFT/);
  expect(drift.stdout).toMatch(/missing 1 \(object without record\): "im\/late.jpg"/);

  const fixed = await runCli(['verify', ...flags, '--fix', '--json'], {
    env: EMULATOR_ENV,
    timeoutMs: 120_000,
  });
  expect(fixed.code).toBe(0);
  const after = JSON.parse(fixed.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  expect(after).toMatchObject({
    objects: 121,
    records: 121,
    missing: 0,
    orphaned: 0,
    stale: 0,
    duplicates: 0,
  });
});
