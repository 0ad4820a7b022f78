// Syncs into an IMM dataset end to end: real Redis, the OSS and IMM emulators, the real clients. After each
// scenario the dataset is compared with the bucket.
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_IMM_PROJECT } from '../../../../src/demo/local-cloud.ts';
import { seedSampleBucket } from '../../../../src/demo/sample-data.ts';
import { testCloud, type TestCloud } from '../../../helpers/cloud.ts';
import { compareImmDatasetWithBucket, immWriteCalls } from '../../../helpers/imm-compare.ts';
import { ImmTestClient } from '../../emulators/imm/imm-client.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

const IMM = { target: 'imm', immProject: LOCAL_IMM_PROJECT, immDataset: 'photos' };

function expectMatch(c: TestCloud, prefix?: string) {
  const cmp = compareImmDatasetWithBucket(c.oss, c.imm, {
    bucket: c.bucket,
    project: LOCAL_IMM_PROJECT,
    dataset: 'photos',
    ...(prefix !== undefined ? { prefix } : {}),
  });
  expect({ missing: cmp.missing, extra: cmp.extra, failed: cmp.failed, mismatched: cmp.mismatched }).toEqual({
    missing: [],
    extra: [],
    failed: [],
    mismatched: [],
  });
  return cmp;
}

describe('sync into an IMM dataset', () => {
  it('full sync creates the dataset and indexes one file per object; a second sync writes nothing', async () => {
    cloud = await testCloud({ imm: { faults: { indexDelayMs: 20 } } });
    const seeded = seedSampleBucket(cloud.oss.store, cloud.bucket, { images: 700, texts: 400 });
    cloud.startWorkers();
    const run = await cloud.sync(IMM);
    expect(run.status).toBe('completed');
    const cmp = expectMatch(cloud);
    expect(cmp.objects).toBe(seeded.objects - 1);
    expect(run.counters.created).toBe(cmp.objects);
    expect(cloud.imm.store.getDataset(LOCAL_IMM_PROJECT, 'photos')?.FileCount).toBe(cmp.objects);
    // Nothing went to PAI.
    expect(cloud.pai.stats.calls.CreateDatasetFileMetas ?? 0).toBe(0);

    const before = immWriteCalls(cloud.imm);
    const second = await cloud.sync(IMM);
    expect(second.status).toBe('completed');
    expect(immWriteCalls(cloud.imm) - before).toBe(0);
    expect(second.counters.unchanged).toBe(cmp.objects);
  });

  it('indexes changed objects again, adds new ones and deletes removed ones', async () => {
    cloud = await testCloud({ imm: { faults: { indexDelayMs: 10 } } });
    const store = cloud.oss.store;
    const key = (i: number) => `data/f-${String(i).padStart(4, '0')}.txt`;
    for (let i = 0; i < 300; i++) store.putObject(cloud.bucket, key(i), `v1 ${i}`);
    cloud.startWorkers();
    expect((await cloud.sync(IMM)).status).toBe('completed');
    expectMatch(cloud);

    for (let i = 0; i < 20; i++) store.putObject(cloud.bucket, key(i), `v2 changed ${i}`);
    for (let i = 300; i < 330; i++) store.putObject(cloud.bucket, key(i), `new ${i}`);
    for (let i = 100; i < 125; i++) store.deleteObject(cloud.bucket, key(i));
    const before = cloud.imm.stats.calls.BatchDeleteFileMeta ?? 0;
    const run = await cloud.sync(IMM);
    expect(run.status).toBe('completed');
    expect(run.counters).toMatchObject({ created: 30, updated: 20, deleted: 25 });
    expect((cloud.imm.stats.calls.BatchDeleteFileMeta ?? 0) - before).toBe(1);
    const cmp = expectMatch(cloud);
    expect(cmp.objects).toBe(305);
  });

  it('stays exact with index failures, server errors and throttling on', async () => {
    cloud = await testCloud({
      imm: { qps: 40, faults: { indexDelayMs: 30, indexFailureRate: 0.2, errorRate: 0.1 } },
    });
    for (let i = 0; i < 400; i++) cloud.oss.store.putObject(cloud.bucket, `p/${i}.jpg`, `img ${i}`);
    cloud.startWorkers();
    const run = await cloud.sync({ ...IMM, maxRetries: 20 }, 240_000);
    expect(run.status).toBe('completed');
    expectMatch(cloud);
    expect(cloud.imm.stats.indexFailed).toBeGreaterThan(0);
    expect(run.counters.created).toBe(400);
  });

  it("files IMM refuses for good (the dataset is full) are dead-lettered with IMM's Reason", async () => {
    cloud = await testCloud();
    const client = new ImmTestClient(cloud.imm.endpoint);
    await client.call('CreateDataset', {
      ProjectName: LOCAL_IMM_PROJECT,
      DatasetName: 'photos',
      DatasetMaxFileCount: 30,
    });
    for (let i = 0; i < 40; i++)
      cloud.oss.store.putObject(cloud.bucket, `p/${String(i).padStart(2, '0')}.jpg`, `img ${i}`);
    cloud.startWorkers();
    const run = await cloud.sync(IMM);
    expect(run.counters).toMatchObject({ created: 30, rejected: 10 });
    const dead = await cloud.services.dead.list(0, 100);
    expect(dead).toHaveLength(10);
    for (const d of dead) expect(d.reason).toMatch(/\[LimitExceededError\].*DatasetMaxFileCount/);
    expect(cloud.imm.store.getDataset(LOCAL_IMM_PROJECT, 'photos')?.FileCount).toBe(30);
  });

  it('an unknown project fails before any run starts, saying how to create it', async () => {
    cloud = await testCloud();
    await expect(cloud.sync({ ...IMM, immProject: 'no-such-project' })).rejects.toThrow(
      /IMM project "no-such-project" does not exist.*CreateProject --ProjectName no-such-project/s,
    );
  });
});

describe('sync into IMM under the other plausible IMM behaviours', () => {
  it('throttling answered as POP does (400 Throttling.User) and failed files without our labels: still exact', async () => {
    cloud = await testCloud({
      imm: {
        qps: 30,
        throttleStyle: 'pop',
        failedFilesKeepFields: false,
        faults: { indexDelayMs: 20, indexFailureRate: 0.1 },
      },
    });
    for (let i = 0; i < 300; i++) cloud.oss.store.putObject(cloud.bucket, `q/${i}.jpg`, `img ${i}`);
    cloud.startWorkers();
    const run = await cloud.sync({ ...IMM, maxRetries: 30 }, 240_000);
    expect(run.status).toBe('completed');
    expectMatch(cloud);
    expect(run.counters.created).toBe(300);
    expect(cloud.imm.stats.indexFailed).toBeGreaterThan(0);
  });
});
