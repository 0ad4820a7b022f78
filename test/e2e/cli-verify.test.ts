// `oss-pai-sync verify` as a user runs it, against the emulators: in sync, every kind of drift (made through
// the real clients), the --max-delete guard of --fix, a repair through a run, and the exit codes 0 / 3 / 1.
import { afterEach, expect, it } from 'vitest';
import type { FileMetaCreate } from '../../src/pai/dataset-api.ts';
import { controlRun } from '../../src/runs/control.ts';
import { startRun, toRunBinding } from '../../src/runs/start-run.ts';
import { EMULATOR_ENV, runCli } from '../helpers/cli.ts';
import { bindingFlags, testCloud, type TestCloud } from '../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

/** `verify --fix --json` prints two reports, one JSON object a line (before the repair and after it). */
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const COUNTERS = ['objects', 'records', 'missing', 'orphaned', 'stale', 'duplicates', 'samples'];

function record(bucket: string, key: string, fp = 'ABCDEF', size = 3): FileMetaCreate {
  return {
    Uri: `oss://${bucket}/${key}`,
    FileName: key.split('/').pop()!,
    FileFingerPrint: fp,
    FileType: 'image',
    ContentType: 'image/jpeg',
    DataSize: size,
    FileUpdateTime: '2025-01-01T00:00:00.000Z',
    FileCreateTime: '2025-01-01T00:00:00.000Z',
  };
}

it(
  'verify: in sync, each kind of drift with samples, --fix guarded by --max-delete, then repaired (exit 0/3/1)',
  { timeout: 180_000 },
  async () => {
    cloud = await testCloud({ pai: { allowDuplicateUris: true } });
    const c = cloud;
    for (let i = 0; i < 300; i++) c.oss.store.putObject(c.bucket, `v/${i}.jpg`, `x${i}`);
    const extra = { datasetName: 'verify-ds', prefix: 'v/' };
    c.startWorkers();
    const run = await c.sync(extra);
    expect(run.status).toBe('completed');
    const flags = [...bindingFlags(c), '--dataset-name', 'verify-ds', '--prefix', 'v/'];
    const verify = (more: string[] = []) =>
      runCli(['verify', ...flags, ...more], { env: EMULATOR_ENV, timeoutMs: 120_000 });

    const clean = await verify(['--json']);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    const cleanCounts = JSON.parse(clean.stdout) as Record<string, unknown>;
    expect(Object.keys(cleanCounts).sort()).toEqual([...COUNTERS].sort());
    expect(cleanCounts).toMatchObject({ objects: 300, records: 300, missing: 0, orphaned: 0, stale: 0 });
    expect(cleanCounts.duplicates).toBe(0);

    // Drift of every kind, made behind the product's back (the Redis state still says "in sync").
    const config = c.config(extra);
    const datasetId = await c.datasetId(extra);
    const target = { ...config.target, datasetId };
    const api = await c.services.makeDatasetApi(target, config.source);
    c.oss.store.putObject(c.bucket, 'v/new.jpg', 'never synced'); // missing
    const all = c.pai.store.listRecords(datasetId, 'v1', 'ACTIVE');
    const rec4 = all.find((r) => r.Uri === `oss://${c.bucket}/v/4.jpg`)!;
    expect((await api.deleteFileMetas(target, [rec4.DatasetFileMetaId])).failed).toEqual([]); // missing
    c.oss.store.putObject(c.bucket, 'v/1.jpg', 'new content, new etag'); // stale
    const created = await api.createFileMetas(target, [
      record(c.bucket, 'v/ghost.jpg'), // orphaned
      record(c.bucket, 'v/3.jpg', '0000'), // a duplicate (the matching record is kept)
      record(c.bucket, 'elsewhere/x.jpg'), // outside the prefix: not this binding's
      record('other-bucket', 'v/9.jpg'), // another bucket: not this binding's
    ]);
    expect(created.failed).toEqual([]);

    const drift = await verify(['--json', '--sample', '1']);
    expect(drift.code).toBe(3);
    const d = JSON.parse(drift.stdout) as Record<string, unknown>;
    expect(d).toEqual({
      objects: 301,
      records: 301,
      missing: 2,
      orphaned: 1,
      stale: 1,
      duplicates: 1,
      samples: {
        missing: ['v/4.jpg'],
        orphaned: ['v/ghost.jpg'],
        stale: ['v/1.jpg'],
        duplicates: ['v/3.jpg'],
      },
    });

    const text = await verify();
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/DRIFT/);
    expect(text.stdout).toMatch(/missing 2 \(object without record\): "v\/4.jpg", "v\/new.jpg"/);

    // Two deletions needed (the orphan and the duplicate): refused under --max-delete 1, nothing changed.
    const writesBefore = c.pai.stats.calls.CreateDatasetFileMetas ?? 0;
    const refused = await verify(['--fix', '--max-delete', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/would delete 2 record\(s\).*--max-delete 1/);
    expect(c.pai.stats.calls.CreateDatasetFileMetas ?? 0).toBe(writesBefore);
    expect((await verify(['--json'])).code).toBe(3);

    const fixed = await verify(['--fix', '--json']);
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    const [before, after] = jsonLines(fixed.stdout);
    expect(before).toMatchObject({ missing: 2, orphaned: 1, stale: 1, duplicates: 1 });
    expect(after).toMatchObject({
      objects: 301,
      records: 301,
      missing: 0,
      orphaned: 0,
      stale: 0,
      duplicates: 0,
    });
    // Records outside the binding were left alone.
    const uris = c.pai.store.listRecords(datasetId, 'v1', 'ACTIVE').map((r) => r.Uri);
    expect(uris).toContain(`oss://${c.bucket}/elsewhere/x.jpg`);
    expect(uris).toContain('oss://other-bucket/v/9.jpg');
    // The state agrees with the dataset again: a normal sync has nothing to do.
    const again = await c.sync(extra);
    expect(again.counters).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 301 });
  },
);

it('verify: a dataset that cannot be found is an error (exit 1, one line)', async () => {
  cloud = await testCloud();
  const res = await runCli(['verify', ...bindingFlags(cloud), '--dataset-name', 'never-made'], {
    env: EMULATOR_ENV,
  });
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/verify needs --dataset-id/);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
});

it('verify --fix: refused while a run of the binding is active; on a lost state, repairs without duplicates', async () => {
  cloud = await testCloud({ pai: { allowDuplicateUris: true } });
  const c = cloud;
  for (let i = 0; i < 120; i++) c.oss.store.putObject(c.bucket, `f/${i}.jpg`, `x${i}`);
  const extra = { datasetName: 'fix-ds', prefix: 'f/' };
  const pool = c.startWorkers();
  expect((await c.sync(extra)).status).toBe('completed');
  await pool.close();
  const datasetId = await c.datasetId(extra);
  const flags = [...bindingFlags(c), '--dataset-name', 'fix-ds', '--prefix', 'f/'];
  const verify = (more: string[] = []) =>
    runCli(['verify', ...flags, ...more], { env: EMULATOR_ENV, timeoutMs: 120_000 });
  c.oss.store.putObject(c.bucket, 'f/new.jpg', 'never synced');

  // A run holds the binding (no worker works it): --fix changes nothing and says why.
  const config = c.config(extra);
  const binding = toRunBinding({ ...config, target: { ...config.target, datasetId } }, datasetId);
  const active = await startRun(c.services, binding);
  const stateKey = c.services.keys.state(datasetId, 'v1', c.bucket);
  const stateBefore = await c.services.redis.zcard(stateKey);
  const busy = await verify(['--fix']);
  expect(busy.code).toBe(1);
  expect(busy.stderr).toContain(
    `oss-pai-sync: a run of this binding is active (${active}); --fix waits for no one: retry when it ended`,
  );
  expect(await c.services.redis.zcard(stateKey)).toBe(stateBefore);
  expect(await controlRun(c.services, active, 'cancel')).toBe('cancelled');

  // Redis lost the state: the repair run rebuilds it first, so the 120 objects in sync are not created again.
  await c.services.redis.del(stateKey);
  const fixed = await verify(['--fix', '--json']);
  expect(fixed.code).toBe(0);
  const [before, after] = jsonLines(fixed.stdout);
  expect(before).toMatchObject({ objects: 121, records: 120, missing: 1, duplicates: 0 });
  expect(after).toMatchObject({
    objects: 121,
    records: 121,
    missing: 0,
    orphaned: 0,
    stale: 0,
    duplicates: 0,
  });
  expect(c.pai.stats.accepted.created).toBe(121);
});
