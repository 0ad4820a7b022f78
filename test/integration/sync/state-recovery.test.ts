// A real run on a lost state (new Redis, flushed state) while the target already holds the records: the run
// rebuilds the state from the target first, so no record is written twice, whether PAI refuses a second
// record for a Uri or accepts it (emulator switch allowDuplicateUris), and for an IMM binding too. Real
// clients against the emulators, real Redis.
import { afterEach, describe, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { LOCAL_IMM_PROJECT } from '../../../src/demo/local-cloud.ts';
import { BindingBusyError, startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { sinkFor } from '../../../src/sinks/sink-for.ts';
import { rebuildState } from '../../../src/sync/state-rebuild.ts';
import { testCloud, writeCalls, type TestCloud } from '../../helpers/cloud.ts';
import { compareImmDatasetWithBucket, immWriteCalls } from '../../helpers/imm-compare.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

/** What a new or flushed Redis looks like to the product: no state of any binding, nor any marker of it. */
async function loseEveryState(c: TestCloud): Promise<void> {
  const redis = c.services.redis;
  const keys = await redis.keys(`${c.services.keys.prefix}:ops:state*`);
  expect(keys.length).toBeGreaterThan(0);
  await redis.del(...keys);
}

const key = (dir: string, i: number) => `${dir}/${String(i).padStart(4, '0')}.txt`;

describe.each([
  ['PAI refuses a second record for a Uri', false],
  ['PAI accepts a second record for a Uri', true],
])('state lost, dataset full: %s', (_name, allowDuplicateUris) => {
  it('the run rebuilds the state first: no duplicate, only the real changes are written, for every prefix of the bucket', async () => {
    cloud = await testCloud({ pai: { allowDuplicateUris } });
    const c = cloud;
    for (let i = 0; i < 250; i++) c.oss.store.putObject(c.bucket, key('a', i), `v1 ${i}`);
    for (let i = 0; i < 60; i++) c.oss.store.putObject(c.bucket, key('b', i), `v1 ${i}`);
    c.startWorkers();
    expect((await c.sync({ prefix: 'a/' })).counters.created).toBe(250);
    expect((await c.sync({ prefix: 'b/' })).counters.created).toBe(60);
    const datasetId = await c.datasetId();

    await loseEveryState(c);
    // Meanwhile the bucket changed: 5 objects rewritten, 3 added, 2 deleted.
    for (let i = 0; i < 5; i++) c.oss.store.putObject(c.bucket, key('a', i), `v2 ${i}`);
    for (let i = 250; i < 253; i++) c.oss.store.putObject(c.bucket, key('a', i), `v1 ${i}`);
    for (let i = 10; i < 12; i++) c.oss.store.deleteObject(c.bucket, key('a', i));
    const created = c.pai.stats.accepted.created;

    const run = await c.sync({ prefix: 'a/' });
    expect(run.status).toBe('completed');
    expect(run.counters).toMatchObject({ created: 3, updated: 5, deleted: 2, unchanged: 243, rejected: 0 });
    expect(c.pai.stats.accepted.created - created).toBe(3);
    const a = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'a/' });
    // (`extra` holds the b/ records: the oracle compares a prefix with the whole dataset.)
    expect({ missing: a.missing, duplicates: a.duplicates, mismatched: a.mismatched }).toEqual({
      missing: [],
      duplicates: [],
      mismatched: [],
    });

    // The other prefix of the bucket shares the rebuilt state: nothing to write there either.
    const writes = writeCalls(c);
    const b = await c.sync({ prefix: 'b/' });
    expect(b.counters).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 60 });
    expect(writeCalls(c)).toBe(writes);
    const all = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId });
    expect([all.records, all.duplicates.length, all.missing.length]).toEqual([311, 0, 0]);
  });

  it('`state rebuild` of one prefix rebuilds the whole bucket: the other prefix of the bucket writes nothing next', async () => {
    cloud = await testCloud({ pai: { allowDuplicateUris } });
    const c = cloud;
    for (let i = 0; i < 40; i++) c.oss.store.putObject(c.bucket, key('a', i), `v1 ${i}`);
    for (let i = 0; i < 30; i++) c.oss.store.putObject(c.bucket, key('b', i), `v1 ${i}`);
    c.startWorkers();
    expect((await c.sync({ prefix: 'a/' })).counters.created).toBe(40);
    expect((await c.sync({ prefix: 'b/' })).counters.created).toBe(30);
    const datasetId = await c.datasetId();

    // What `oss-pai-sync state rebuild --prefix a/` does (src/cli/commands/state.ts), on a state that is
    // not lost: before, only a/'s records were kept and b/'s entries were wiped from the shared state.
    const binding = toRunBinding(c.config({ datasetName: 'test-dataset', prefix: 'a/' }), datasetId);
    const { sink } = await sinkFor(c.services, binding);
    const res = await rebuildState(
      c.services,
      binding,
      sink.list(async () => {}),
    );
    expect(res).toMatchObject({ records: 70, kept: 70, duplicates: 0 });

    const writes = writeCalls(c);
    const b = await c.sync({ prefix: 'b/' });
    expect(b.counters).toMatchObject({ created: 0, updated: 0, unchanged: 30 });
    expect(writeCalls(c)).toBe(writes);
    const all = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId });
    expect([all.records, all.duplicates.length, all.missing.length]).toEqual([70, 0, 0]);
  });
});

it("a dataset holding only other buckets' records is listed once, not before every run, until the state has entries", async () => {
  cloud = await testCloud();
  const c = cloud;
  c.startWorkers();
  const lists = () => c.pai.stats.calls.ListDatasetFileMetas ?? 0;
  // 150 records of another bucket: more than one page of ListDatasetFileMetas, none of this bucket.
  const config = c.config({ datasetName: 'test-dataset' });
  const target = { ...config.target, datasetId: await c.datasetId() };
  const api = await c.services.makeDatasetApi(target, config.source);
  for (let n = 0; n < 150; n += 75) {
    const other = await api.createFileMetas(
      target,
      Array.from({ length: 75 }, (_, i) => ({
        Uri: `oss://other-bucket/${n + i}.txt`,
        FileName: `${n + i}.txt`,
        FileFingerPrint: 'F',
        FileType: 'text',
        ContentType: 'text/plain',
        DataSize: 1,
        FileUpdateTime: '2025-01-01T00:00:00Z',
        FileCreateTime: '2025-01-01T00:00:00Z',
      })),
    );
    expect([other.status, other.succeeded.length]).toEqual([true, 75]);
  }
  expect((await c.sync({ prefix: 'empty/' })).status).toBe('completed');
  const afterFirst = lists();
  expect(afterFirst).toBeGreaterThan(1);
  expect((await c.sync({ prefix: 'empty/' })).status).toBe('completed');
  expect(lists()).toBe(afterFirst);

  // Once objects were synced, losing the state again is detected again.
  for (let i = 0; i < 20; i++) c.oss.store.putObject(c.bucket, key('empty', i), `v1 ${i}`);
  expect((await c.sync({ prefix: 'empty/' })).counters.created).toBe(20);
  expect((await c.sync({ prefix: 'empty/' })).counters.unchanged).toBe(20);
  await loseEveryState(c);
  const again = await c.sync({ prefix: 'empty/' });
  expect(again.counters).toMatchObject({ created: 0, updated: 0, unchanged: 20 });
});

it('IMM: a lost state is rebuilt from the dataset before the run, which indexes only what changed', async () => {
  cloud = await testCloud({ imm: { faults: { indexDelayMs: 5 } } });
  const c = cloud;
  const IMM = { target: 'imm', immProject: LOCAL_IMM_PROJECT, immDataset: 'recovery' };
  for (let i = 0; i < 200; i++) c.oss.store.putObject(c.bucket, key('m', i), `v1 ${i}`);
  c.startWorkers();
  expect((await c.sync(IMM)).counters.created).toBe(200);
  await loseEveryState(c);
  for (let i = 0; i < 3; i++) c.oss.store.putObject(c.bucket, key('m', i), `v2 ${i}`);
  const writes = immWriteCalls(c.imm);
  const run = await c.sync(IMM);
  expect(run.counters).toMatchObject({ created: 0, updated: 3, unchanged: 197, rejected: 0 });
  expect(immWriteCalls(c.imm) - writes).toBe(1);
  const cmp = compareImmDatasetWithBucket(c.oss, c.imm, {
    bucket: c.bucket,
    project: LOCAL_IMM_PROJECT,
    dataset: 'recovery',
  });
  expect([cmp.missing, cmp.extra, cmp.failed, cmp.mismatched]).toEqual([[], [], [], []]);
});

it('the binding stays locked while a run is prepared: no second run starts before the first is recorded', async () => {
  cloud = await testCloud();
  const c = cloud;
  c.oss.store.putObject(c.bucket, 'l/1.txt', 'x');
  const binding = toRunBinding(c.config({ datasetName: 'test-dataset' }), await c.datasetId());
  let inner: unknown;
  const runId = await startRun(c.services, binding, {
    beforeStart: async () => {
      inner = await startRun(c.services, binding).catch((err: unknown) => err);
    },
  });
  expect(inner).toBeInstanceOf(BindingBusyError);
  expect((inner as BindingBusyError).activeRunId).toBe(runId);
  c.startWorkers();
  expect((await waitForRun(c.services.runs, runId, { pollMs: 50 })).status).toBe('completed');
});
