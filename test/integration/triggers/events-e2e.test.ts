// Upload events end to end: the OSS emulator's event webhook -> the receiver -> grouped control jobs ->
// records in the PAI emulator. Includes deletes, duplicates, bursts, bad and unauthenticated requests, and the
// p95 latency from put to record.
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import type { OssEmulatorInternal } from '../../../src/emulators/oss/server.ts';
import { CONTROL_EVENTS } from '../../../src/queue/keys.ts';
import { createEventSink, eventBindingKey } from '../../../src/triggers/event-sink.ts';
import {
  SIGNATURE_HEADER,
  signBody,
  startEventServer,
  type EventServer,
  type EventSink,
} from '../../../src/triggers/events/index.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { eventsSettled as settled } from '../../helpers/events-settled.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const SECRET = 'test-shared-secret';
let cloud: TestCloud | undefined;
let server: EventServer | undefined;
afterEach(async () => {
  await server?.close();
  await cloud?.cleanup();
  server = undefined;
  cloud = undefined;
});

/** The receiver must exist before the OSS emulator (which needs its URL): delegate to the sink set later. */
async function setup(format: 'mns' | 'eventbridge', debounceMs = 200) {
  const holder: { sink?: EventSink } = {};
  server = await startEventServer({
    secret: SECRET,
    sink: {
      covers: (b, k) => holder.sink!.covers(b, k),
      accept: (events) => holder.sink!.accept(events),
    },
  });
  cloud = await testCloud({ oss: { events: { url: `${server.url}/events`, format, secret: SECRET } } });
  const flat = cloud.flat({ datasetName: 'events', prefix: 'up/' });
  const config = cloud.config({ datasetName: 'events', prefix: 'up/' });
  holder.sink = createEventSink(cloud.services, [{ flat, config }], debounceMs);
  cloud.startWorkers();
  const datasetId = await cloud.datasetId({ datasetName: 'events', prefix: 'up/' });
  const client = cloud.ossClient();
  return { c: cloud, client, datasetId, bindingKey: eventBindingKey(config) };
}

/** Every delivery the emulator queued has been answered by the receiver (so accepted or refused). */
async function deliveriesAnswered(c: TestCloud): Promise<void> {
  await (c.oss as OssEmulatorInternal).eventsIdle();
}

/** Nothing left to happen for the binding (test/helpers/events-settled.ts). */
const eventsSettled = (c: TestCloud, bindingKey: string) => settled(c.services, bindingKey);

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

for (const format of ['mns', 'eventbridge'] as const) {
  it(`${format}: puts, overwrites, duplicates and deletes end in the state the bucket has`, async () => {
    const { c, client, datasetId, bindingKey } = await setup(format);
    const uri = (k: string) => `oss://${c.bucket}/${k}`;
    const records = () => new Map(c.pai.store.listRecords(datasetId, 'v1').map((r) => [r.Uri, r]));

    // Latency from put to record, one object at a time.
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const key = `up/single-${i}.txt`;
      const t0 = Date.now();
      await client.put(key, Buffer.from(`v1 ${i}`));
      await waitFor(() => records().has(uri(key)), { what: `a record for ${key}` });
      latencies.push(Date.now() - t0);
    }
    const p95ms = p95(latencies);
    console.log(
      `[events ${format}] put -> record latency p95 ${p95ms} ms (debounce 200 ms), max ${Math.max(...latencies)} ms`,
    );
    expect(p95ms).toBeGreaterThan(0);

    // Overwrite: the record follows the new content.
    await client.put('up/single-0.txt', Buffer.from('v2 changed'));
    const newEtag = (await client.head('up/single-0.txt')).res.headers as Record<string, string>;
    await waitFor(
      () => records().get(uri('up/single-0.txt'))?.FileFingerPrint === newEtag.etag!.replace(/"/g, ''),
      { what: 'the record to follow the overwrite' },
    );

    // Delete: the record goes.
    await client.delete('up/single-1.txt');
    await waitFor(() => !records().has(uri('up/single-1.txt')), { what: 'the deleted record to go' });

    // Duplicate and out-of-order deliveries: re-send an old "created" event for a deleted key, twice.
    const stale = {
      events: [
        {
          eventName: 'ObjectCreated:PutObject',
          eventSource: 'acs:oss',
          eventTime: new Date().toISOString(),
          eventVersion: '1.0',
          oss: { bucket: { name: c.bucket }, object: { key: 'up/single-1.txt', size: 4, eTag: 'AAAA' } },
          region: 'cn-hangzhou',
        },
      ],
    };
    for (let i = 0; i < 2; i++) {
      const body = Buffer.from(JSON.stringify(stale));
      const res = await fetch(`${server!.url}/events`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(SECRET, body) },
      });
      expect(res.status).toBe(204);
    }
    // Both were accepted (204 above); once their drain and its run are over, the record must still be gone.
    await eventsSettled(c, bindingKey);
    expect(records().has(uri('up/single-1.txt'))).toBe(false);

    // Objects outside the binding's prefix are acknowledged and ignored.
    await client.put('elsewhere/x.txt', Buffer.from('x'));
    await deliveriesAnswered(c);
    await eventsSettled(c, bindingKey);
    expect(records().has(uri('elsewhere/x.txt'))).toBe(false);

    const cmp = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'up/' });
    expect(cmp.ok).toBe(true);
  });
}

it('a burst of 300 uploads (400 events) becomes one drain job per debounce window, and every object gets exactly one record', async () => {
  // The window is longer than any burst delivery can take, however busy the machine: the number of jobs
  // then depends only on the deduplication, not on how fast the events arrive. The test ends the window
  // itself by promoting the delayed job, instead of waiting it out.
  const { c, client, datasetId, bindingKey } = await setup('mns', 600_000);
  const keys = Array.from({ length: 300 }, (_, i) => `up/burst/${i}.png`);
  await Promise.all(keys.map((k) => client.put(k, Buffer.from(k))));
  // 100 keys uploaded a second time: duplicates collapse in the event set.
  await Promise.all(keys.slice(0, 100).map((k) => client.put(k, Buffer.from(`${k} again`))));
  await deliveriesAnswered(c);
  expect((c.oss as OssEmulatorInternal).eventStats).toMatchObject({ delivered: 400, failed: 0, dropped: 0 });
  expect(await c.services.redis.zcard(c.services.keys.bindingEvents(bindingKey))).toBe(300);
  const eventJobs = async () =>
    (
      await c.services.controlQueue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, -1)
    ).filter((j) => j.name === CONTROL_EVENTS);
  const queued = await eventJobs();
  expect(queued.map((j) => (j.data as { bindingId?: string }).bindingId)).toEqual([bindingKey]);
  await queued[0]!.promote();
  await waitFor(() => c.pai.store.listRecords(datasetId, 'v1').length === 300, {
    what: '300 records',
    describe: () => c.pai.store.listRecords(datasetId, 'v1').length,
  });
  await eventsSettled(c, bindingKey);
  // 300 keys drain in one job (EVENTS_PER_JOB is 1000): no follow-up was needed.
  expect((await eventJobs()).length).toBe(1);
  const cmp = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'up/' });
  expect(cmp.ok).toBe(true);
  expect(cmp.records).toBe(300);
});

it('unauthenticated and malformed requests get 401/400 and enqueue nothing', async () => {
  const { c, bindingKey } = await setup('mns');
  const before = await c.services.controlQueue.getJobCountByTypes(
    'waiting',
    'delayed',
    'active',
    'completed',
  );
  const good = Buffer.from(
    JSON.stringify({
      events: [
        {
          eventName: 'ObjectCreated:PutObject',
          eventTime: new Date().toISOString(),
          oss: { bucket: { name: c.bucket }, object: { key: 'up/a.txt', size: 1 } },
        },
      ],
    }),
  );
  const noSig = await fetch(`${server!.url}/events`, {
    method: 'POST',
    body: good,
    headers: { 'content-type': 'application/json' },
  });
  expect(noSig.status).toBe(401);
  const badSig = await fetch(`${server!.url}/events`, {
    method: 'POST',
    body: good,
    headers: { [SIGNATURE_HEADER]: signBody('wrong', good) },
  });
  expect(badSig.status).toBe(401);
  const junk = Buffer.from('{"events": [ {"eventName": 42 } ]');
  const malformed = await fetch(`${server!.url}/events`, {
    method: 'POST',
    body: junk,
    headers: { [SIGNATURE_HEADER]: signBody(SECRET, junk) },
  });
  expect(malformed.status).toBe(400);
  expect(((await malformed.json()) as { message: string }).message.length).toBeGreaterThan(10);
  const health = await fetch(`${server!.url}/healthz`);
  expect(health.status).toBe(200);
  // Every request was answered before this point, and the receiver enqueues before it answers: no wait needed.
  expect(await c.services.controlQueue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed')).toBe(
    before,
  );
  expect(await c.services.redis.zcard(c.services.keys.bindingEvents(bindingKey))).toBe(0);
});
