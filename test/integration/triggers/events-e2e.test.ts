// Upload events end to end: the OSS emulator's event webhook -> the receiver -> grouped control jobs ->
// records in the PAI emulator. Includes deletes, duplicates, bursts, bad and unauthenticated requests, and the
// p95 latency from put to record.
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
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

const SECRET = 'test-shared-secret';
let cloud: TestCloud | undefined;
let server: EventServer | undefined;
afterEach(async () => {
  await server?.close();
  await cloud?.cleanup();
  server = undefined;
  cloud = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The receiver must exist before the OSS emulator (which needs its URL): delegate to the sink set later. */
async function setup(format: 'mns' | 'eventbridge') {
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
  holder.sink = createEventSink(cloud.services, [{ flat, config }], 200);
  cloud.startWorkers();
  const datasetId = await cloud.datasetId({ datasetName: 'events', prefix: 'up/' });
  const client = cloud.ossClient();
  return { c: cloud, client, datasetId, bindingKey: eventBindingKey(config) };
}

async function waitFor(pred: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(10);
  }
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

for (const format of ['mns', 'eventbridge'] as const) {
  it(
    `${format}: puts, overwrites, duplicates and deletes end in the state the bucket has`,
    { timeout: 90_000 },
    async () => {
      const { c, client, datasetId } = await setup(format);
      const uri = (k: string) => `oss://${c.bucket}/${k}`;
      const records = () => new Map(c.pai.store.listRecords(datasetId, 'v1').map((r) => [r.Uri, r]));

      // Latency from put to record, one object at a time.
      const latencies: number[] = [];
      for (let i = 0; i < 20; i++) {
        const key = `up/single-${i}.txt`;
        const t0 = Date.now();
        await client.put(key, Buffer.from(`v1 ${i}`));
        await waitFor(() => records().has(uri(key)));
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
      );

      // Delete: the record goes.
      await client.delete('up/single-1.txt');
      await waitFor(() => !records().has(uri('up/single-1.txt')));

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
      await sleep(800);
      expect(records().has(uri('up/single-1.txt'))).toBe(false);

      // Objects outside the binding's prefix are acknowledged and ignored.
      await client.put('elsewhere/x.txt', Buffer.from('x'));
      await sleep(500);
      expect(records().has(uri('elsewhere/x.txt'))).toBe(false);

      const cmp = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'up/' });
      expect(cmp.ok).toBe(true);
    },
  );
}

it(
  'a burst of 300 uploads becomes a handful of jobs, and every object gets exactly one record',
  { timeout: 90_000 },
  async () => {
    const { c, client, datasetId } = await setup('mns');
    const keys = Array.from({ length: 300 }, (_, i) => `up/burst/${i}.png`);
    await Promise.all(keys.map((k) => client.put(k, Buffer.from(k))));
    // Every key also uploaded a second time: duplicates collapse in the event set.
    await Promise.all(keys.slice(0, 100).map((k) => client.put(k, Buffer.from(`${k} again`))));
    await waitFor(() => c.pai.store.listRecords(datasetId, 'v1').length === 300, 60_000);
    await sleep(500);
    const controlJobs = await c.services.controlQueue.getJobs(
      ['completed', 'failed', 'active', 'waiting', 'delayed'],
      0,
      -1,
    );
    const eventJobs = controlJobs.filter((j) => j.name === CONTROL_EVENTS);
    expect(eventJobs.length).toBeGreaterThan(0);
    expect(eventJobs.length).toBeLessThan(40);
    const cmp = compareDatasetWithBucket(c.oss, c.pai, { bucket: c.bucket, datasetId, prefix: 'up/' });
    expect(cmp.ok).toBe(true);
  },
);

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
  await sleep(400);
  expect(await c.services.controlQueue.getJobCountByTypes('waiting', 'delayed', 'active', 'completed')).toBe(
    before,
  );
  expect(await c.services.redis.scard(c.services.keys.bindingEvents(bindingKey))).toBe(0);
});
