// Upload events with ONE HEAD per object: the drain HEADs, the sync job writes what the drain saw, and
// observation marks (src/triggers/observed-marks.ts) keep a delete or an overwrite that overtakes a queued
// write from being undone by it.
// Real Redis, real clients, the emulators; the orderings are forced by running the control and the sync
// workers at chosen moments, not by timing.
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import type { OssEmulatorInternal } from '../../../src/emulators/oss/server.ts';
import { createEventSink, eventBindingKey } from '../../../src/triggers/event-sink.ts';
import { startEventServer, type EventServer, type EventSink } from '../../../src/triggers/events/index.ts';
import { eventsSettled } from '../../helpers/events-settled.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const SECRET = 'races-secret';
let cloud: TestCloud | undefined;
let server: EventServer | undefined;
afterEach(async () => {
  await server?.close();
  await cloud?.cleanup();
  server = undefined;
  cloud = undefined;
});

/** A cloud whose OSS emulator notifies a receiver feeding the binding's event sink; no workers yet. */
async function setup(pai: { allowDuplicateUris?: boolean } = {}) {
  const holder: { sink?: EventSink } = {};
  server = await startEventServer({
    secret: SECRET,
    sink: { covers: (b, k) => holder.sink!.covers(b, k), accept: (e) => holder.sink!.accept(e) },
  });
  cloud = await testCloud({
    oss: { events: { url: `${server.url}/events`, format: 'mns', secret: SECRET } },
    pai,
  });
  const extra = { datasetName: 'races', prefix: 'up/' };
  const config = cloud.config(extra);
  holder.sink = createEventSink(cloud.services, [{ flat: cloud.flat(extra), config }], 20);
  const datasetId = await cloud.datasetId(extra);
  const c = cloud;
  const records = (key: string) =>
    c.pai.store.listRecords(datasetId, 'v1').filter((r) => r.Uri === `oss://${c.bucket}/${key}`).length;
  const answered = () => (c.oss as OssEmulatorInternal).eventsIdle();
  return { c, client: c.ossClient(), datasetId, bindingKey: eventBindingKey(config), records, answered };
}

it('a delete drained before the write of its upload lands leaves no record', async () => {
  const { c, client, datasetId, bindingKey, records, answered } = await setup();
  // Drains only: the first drain HEADs the upload and queues its write, which waits (no sync worker yet).
  const control = c.startWorkers({ kinds: ['control'] });
  await client.put('up/k.txt', Buffer.from('v1'));
  await answered();
  await waitFor(async () => (await c.services.syncQueue.getJobCounts('waiting')).waiting === 1, {
    what: 'the upload write queued',
  });
  // The delete is drained while that write is still queued: the state has nothing to delete yet.
  await client.delete('up/k.txt');
  await answered();
  await waitFor(
    async () =>
      (await c.services.redis.zcard(c.services.keys.bindingEvents(bindingKey))) === 0 &&
      Object.values(await c.services.controlQueue.getJobCounts('waiting', 'active', 'delayed')).every(
        (n) => n === 0,
      ),
    { what: 'the delete drained' },
  );
  expect(records('up/k.txt')).toBe(0);
  // Now the write lands: it creates the record, finds that a later drain looked at the key, hands it back.
  c.startWorkers({ kinds: ['sync'] });
  await eventsSettled(c.services, bindingKey);
  expect(records('up/k.txt')).toBe(0);
  expect(c.pai.stats.accepted).toMatchObject({ created: 1, deleted: 1 });
  expect(compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'up/' }).ok).toBe(
    true,
  );
  await control.close();
});

it('a write of an old version that lands after the new one is corrected', async () => {
  const { c, client, datasetId, bindingKey, records, answered } = await setup();
  c.startWorkers({ kinds: ['control'] });
  await client.put('up/k.txt', Buffer.from('v1'));
  await answered();
  const [first] = await waitFor(
    async () => {
      const jobs = await c.services.syncQueue.getJobs(['waiting']);
      return jobs.length === 1 ? jobs : undefined;
    },
    { what: 'the v1 write queued' },
  );
  // The v1 write is held back (taken out of the queue, put back later: a slow job), while v2 is
  // uploaded, drained and written.
  const held = { id: first!.id!, data: first!.data, opts: first!.opts };
  await first!.remove();
  await client.put('up/k.txt', Buffer.from('v2, longer'));
  await answered();
  c.startWorkers({ kinds: ['sync'] });
  const headers = (await client.head('up/k.txt')).res.headers as Record<string, string>;
  const v2 = headers.etag!.replace(/"/g, '');
  const fingerprint = () =>
    c.pai.store.listRecords(datasetId, 'v1').find((r) => r.Uri === `oss://${c.bucket}/up/k.txt`)
      ?.FileFingerPrint;
  await waitFor(() => fingerprint() === v2, { what: 'the v2 record' });
  // Now the old write lands over it; it must not stay.
  await c.services.syncQueue.add('sync', held.data, { ...held.opts, jobId: held.id });
  await eventsSettled(c.services, bindingKey);
  expect(records('up/k.txt')).toBe(1);
  expect(fingerprint()).toBe(v2);
  const cmp = compareDatasetWithBucket(c.oss, c.pai, {
    bucket: c.bucket,
    datasetId,
    prefix: 'up/',
    checkFingerprint: true,
  });
  expect(cmp.ok).toBe(true);
});

it('every upload is HEADed once; puts and deletes of the same keys racing end in the bucket state, once each', async () => {
  const { c, client, datasetId, bindingKey, answered } = await setup();
  c.startWorkers({ controlConcurrency: 4 });
  const keys = Array.from({ length: 120 }, (_, i) => `up/r/${i}.bin`);
  c.oss.resetStats();
  await Promise.all(keys.map((k) => client.put(k, Buffer.from(k))));
  await answered();
  await eventsSettled(c.services, bindingKey);
  expect(c.oss.stats.byOperation.HeadObject).toBe(keys.length);
  // Now every key races: deleted, some uploaded again, some deleted again, all at once.
  await Promise.all(
    keys.map(async (k, i) => {
      await client.delete(k);
      if (i % 3 === 0) await client.put(k, Buffer.from(`${k} again`));
      if (i % 6 === 0) await client.delete(k);
    }),
  );
  await answered();
  await eventsSettled(c.services, bindingKey);
  const cmp = compareDatasetWithBucket(c.oss, c.pai, {
    bucket: c.bucket,
    datasetId,
    prefix: 'up/',
    checkFingerprint: true,
  });
  expect(cmp).toMatchObject({ ok: true, records: 20 });
});

it('a drain on a lost state rebuilds it first, under the binding lock: an overwritten object is updated, not created again', async () => {
  // PAI accepting a second record per Uri: a drain that took the lost state at its word would leave one.
  const { c, client, datasetId, bindingKey, records, answered } = await setup({ allowDuplicateUris: true });
  c.startWorkers();
  await client.put('up/a.txt', Buffer.from('v1'));
  await client.put('up/b.txt', Buffer.from('v1'));
  await answered();
  await eventsSettled(c.services, bindingKey);
  expect([records('up/a.txt'), records('up/b.txt')]).toEqual([1, 1]);

  // What a new or flushed Redis looks like to the drains: no state of the binding.
  const redis = c.services.redis;
  const lost = await redis.keys(`${c.services.keys.prefix}:ops:state*`);
  expect(lost.length).toBeGreaterThan(0);
  await redis.del(...lost);
  const created = c.pai.stats.accepted.created;

  await client.put('up/a.txt', Buffer.from('v2, longer'));
  await answered();
  await eventsSettled(c.services, bindingKey);
  expect(records('up/a.txt')).toBe(1);
  expect(c.pai.stats.accepted.created).toBe(created);
  const cmp = compareDatasetWithBucket(c.oss, c.pai, {
    bucket: c.bucket,
    datasetId,
    prefix: 'up/',
    checkFingerprint: true,
  });
  expect(cmp).toMatchObject({ ok: true, records: 2, duplicates: [] });
  // The whole state came back, the untouched object's entry too.
  const t = c.services.keys.state(datasetId, 'v1', c.bucket);
  expect(await redis.zcard(t)).toBe(2);
});
