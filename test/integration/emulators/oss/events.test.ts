// Event notifications delivered to a tiny receiver: MNS (base64 JSON) and EventBridge (CloudEvents),
// signed with the product's HMAC header, and retried when the receiver fails.
import { createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EVENT_SIGNATURE_HEADER,
  type OssEmulatorInternal,
  startOssEmulator,
} from '../../../../src/emulators/oss/index.ts';
import { laneOf } from '../../../../src/emulators/oss/event-notifier.ts';
import { waitFor } from '../../../helpers/wait-for.ts';
import { client } from './client.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const SECRET = 'receiver-secret';
let receiver: Server | undefined;
let emu: OssEmulatorInternal | undefined;

afterEach(async () => {
  await emu?.close();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  emu = undefined;
  receiver = undefined;
});

/** A receiver that fails the first `failFirst` deliveries with 500. */
async function startReceiver(failFirst = 0): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  let failures = 0;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures < failFirst) {
        failures++;
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`, received };
}

function verifySignature(r: Received): boolean {
  const expected = `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
  return r.headers[EVENT_SIGNATURE_HEADER] === expected;
}

describe('event notifications', () => {
  it('MNS format: base64 {"events":[...]} per put and delete, signed', async () => {
    const { url, received } = await startReceiver();
    emu = await startOssEmulator({ buckets: ['ev-bucket'], events: { url, format: 'mns', secret: SECRET } });
    const oss = client(emu, 'ev-bucket');
    const put = await oss.put('dir/a b.txt', Buffer.from('hello world'), { meta: { tag: 'x' } } as never);
    await oss.delete('dir/a b.txt');
    emu.store.putObject('ev-bucket', 'store-write', 'no event');
    await emu.eventsIdle();

    expect(received).toHaveLength(2);
    expect(received.every(verifySignature)).toBe(true);
    const decoded = received.map((r) =>
      JSON.parse(Buffer.from(r.body.toString(), 'base64').toString('utf8')),
    );
    const created = decoded[0].events[0];
    expect(created.eventName).toBe('ObjectCreated:PutObject');
    expect(created.eventSource).toBe('acs:oss');
    expect(created.region).toBe('cn-hangzhou');
    expect(created.oss.bucket.name).toBe('ev-bucket');
    expect(created.oss.bucket.arn).toMatch(/^acs:oss:cn-hangzhou:\d+:ev-bucket$/);
    expect(created.oss.object).toMatchObject({
      key: 'dir/a b.txt',
      size: 11,
      deltaSize: 11,
      eTag: (put.res.headers as Record<string, string>).etag?.replace(/"/g, ''),
      objectMeta: { mimeType: 'text/plain', userMeta: { 'x-oss-meta-tag': 'x' } },
    });
    expect(new Date(created.eventTime).toISOString()).toBe(created.eventTime);
    expect(created.responseElements.requestId).toBe(
      (put.res.headers as Record<string, string>)['x-oss-request-id'],
    );
    const removed = decoded[1].events[0];
    expect(removed.eventName).toBe('ObjectRemoved:DeleteObject');
    expect(removed.oss.object).toMatchObject({ key: 'dir/a b.txt', deltaSize: -11 });
  });

  it('EventBridge format: one CloudEvent per key of DeleteObjects', async () => {
    const { url, received } = await startReceiver();
    emu = await startOssEmulator({
      buckets: ['ev-bucket'],
      events: { url, format: 'eventbridge', secret: SECRET },
    });
    emu.store.putObject('ev-bucket', 'a', '1');
    emu.store.putObject('ev-bucket', 'b', '22');
    await client(emu, 'ev-bucket').deleteMulti(['a', 'b'], { quiet: true });
    await emu.eventsIdle();

    expect(received).toHaveLength(2);
    expect(received.every(verifySignature)).toBe(true);
    expect(received[0]?.headers['content-type']).toBe('application/cloudevents+json');
    const events = received.map((r) => JSON.parse(r.body.toString('utf8')));
    expect(events.map((e) => e.type)).toEqual([
      'oss:ObjectRemoved:DeleteObjects',
      'oss:ObjectRemoved:DeleteObjects',
    ]);
    expect(events[1]).toMatchObject({
      specversion: '1.0',
      source: 'acs.oss',
      aliyunregionid: 'cn-hangzhou',
      data: { eventName: 'ObjectRemoved:DeleteObjects', oss: { object: { key: 'b', deltaSize: -2 } } },
    });
    expect(events[1].subject).toMatch(/^acs:oss:cn-hangzhou:\d+:ev-bucket\/b$/);
    expect(events[0].id).not.toBe(events[1].id);
  });

  it('retries a failing receiver and never blocks the OSS answer', async () => {
    const { url, received } = await startReceiver(2);
    emu = await startOssEmulator({ buckets: ['ev-bucket'], events: { url, format: 'mns' } });
    await client(emu, 'ev-bucket').put('k', Buffer.from('v'));
    await emu.eventsIdle();
    expect(received).toHaveLength(1);
    expect(received[0]?.headers[EVENT_SIGNATURE_HEADER]).toBeUndefined();
    expect(emu.eventStats).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('survives an unreachable receiver', async () => {
    const { url } = await startReceiver();
    await new Promise((resolve) => receiver?.close(resolve));
    receiver = undefined;
    emu = await startOssEmulator({ buckets: ['ev-bucket'], events: { url, format: 'mns' } });
    await client(emu, 'ev-bucket').put('k', Buffer.from('v'));
    await emu.eventsIdle();
    expect(emu.eventStats.failed).toBe(1);
    expect((await client(emu, 'ev-bucket').head('k')).status).toBe(200);
  });

  it('notifies CompleteMultipartUpload and CopyObject with their real event names', async () => {
    const { url, received } = await startReceiver();
    emu = await startOssEmulator({ buckets: ['ev-bucket'], events: { url, format: 'mns' } });
    const oss = client(emu, 'ev-bucket');
    const done = await oss.multipartUpload('mp/big.bin', Buffer.alloc(150 * 1024, 7), {
      partSize: 100 * 1024,
    } as never);
    await oss.copy('mp/copy.bin', 'mp/big.bin');
    await emu.eventsIdle();
    const events = received.map(
      (r) => JSON.parse(Buffer.from(r.body.toString(), 'base64').toString('utf8')).events[0],
    );
    // Initiate and UploadPart do not notify (the receiver would ignore them anyway).
    expect(events.map((e) => e.eventName).sort()).toEqual([
      'ObjectCreated:CompleteMultipartUpload',
      'ObjectCreated:CopyObject',
    ]);
    const complete = events.find((e) => e.eventName === 'ObjectCreated:CompleteMultipartUpload');
    expect(complete.oss.object).toMatchObject({
      key: 'mp/big.bin',
      size: 150 * 1024,
      deltaSize: 150 * 1024,
      eTag: ((done.res.headers as Record<string, string>).etag ?? '').replace(/"/g, ''),
    });
    expect(complete.oss.object.eTag).toMatch(/^[0-9A-F]{32}-2$/);
    const copy = events.find((e) => e.eventName === 'ObjectCreated:CopyObject');
    expect(copy.oss.object).toMatchObject({
      key: 'mp/copy.bin',
      size: 150 * 1024,
      eTag: complete.oss.object.eTag,
    });
  });

  it('retries 4xx and 5xx answers like MNS (any non-2xx) and counts the retries', async () => {
    let calls = 0;
    const statuses = [503, 400];
    const received: Buffer[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = statuses[calls++] ?? 204;
        if (status === 204) received.push(Buffer.concat(chunks));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    emu = await startOssEmulator({ buckets: ['ev-bucket'], events: { url, format: 'eventbridge' } });
    await client(emu, 'ev-bucket').put('k', Buffer.from('v'));
    await emu.eventsIdle();
    expect(received).toHaveLength(1);
    expect(emu.eventStats).toMatchObject({ delivered: 1, failed: 0, retried: 2, pending: 0 });
  });

  it('delivers several events at once over reused keep-alive sockets, each key in order', async () => {
    // The receiver holds every request until three are open at the same time: a serial notifier
    // would never get there (the wait below would time out).
    const held: Array<() => void> = [];
    const bodies: string[] = [];
    const sockets = new Set<unknown>();
    let maxOpen = 0;
    receiver = createServer((req, res) => {
      sockets.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        const answer = () => res.writeHead(204).end();
        if (maxOpen >= 3) return answer();
        held.push(answer);
        maxOpen = Math.max(maxOpen, held.length);
        if (held.length >= 3) for (const release of held.splice(0)) release();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    emu = await startOssEmulator({
      buckets: ['ev-bucket'],
      events: { url, format: 'eventbridge', maxInFlight: 4 },
    });
    // Three keys on three different lanes, then more writes to each.
    const keys: string[] = [];
    const lanes = new Set<number>();
    for (let i = 0; keys.length < 3; i++) {
      const lane = laneOf(`ev-bucket/key-${i}`, 4);
      if (!lanes.has(lane)) {
        lanes.add(lane);
        keys.push(`key-${i}`);
      }
    }
    const oss = client(emu, 'ev-bucket');
    await Promise.all(keys.map((k) => oss.put(k, Buffer.from('1'))));
    for (let round = 2; round <= 5; round++) {
      for (const k of keys) await oss.put(k, Buffer.from(String(round).repeat(round)));
    }
    await waitFor(() => emu?.eventStats.delivered === 15, { what: '15 events delivered' });
    expect(maxOpen).toBe(3);
    expect(sockets.size).toBeLessThanOrEqual(4);
    for (const k of keys) {
      const sizes = bodies
        .map((b) => JSON.parse(b) as { data: { oss: { object: { key: string; size: number } } } })
        .filter((e) => e.data.oss.object.key === k)
        .map((e) => e.data.oss.object.size);
      expect(sizes).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('admin objects route: writes like PutObject without notifying, answers the events a sender can send', async () => {
    const { url, received } = await startReceiver();
    emu = await startOssEmulator({ buckets: ['ev-bucket'], events: { url, format: 'mns', secret: SECRET } });
    const oss = client(emu, 'ev-bucket');
    await oss.put('a.bin', Buffer.from('abc'));
    await emu.eventsIdle();
    const viaPut = JSON.parse(Buffer.from(received[0]!.body.toString(), 'base64').toString('utf8')).events[0];

    const admin = `http://127.0.0.1:${emu.port}/-/admin/objects`;
    const res = await fetch(`${admin}/ev-bucket`, {
      method: 'POST',
      body: JSON.stringify({ keys: ['a.bin', 'b.bin'], body: 'abcd' }),
    });
    expect(res.status).toBe(200);
    // Nothing was queued: the PUT's event is the only one ever published.
    expect(emu.eventStats.pending).toBe(0);
    expect(emu.eventStats.delivered).toBe(1);
    const head = await oss.head('b.bin');
    const eTag = (head.res.headers as Record<string, string>).etag?.replace(/"/g, '');
    const event = {
      name: 'ObjectCreated:PutObject',
      size: 4,
      eTag,
      mimeType: viaPut.oss.object.objectMeta.mimeType,
    };
    expect(await res.json()).toEqual({
      region: 'cn-hangzhou',
      events: [
        { ...event, key: 'a.bin', deltaSize: 1, userMeta: {} },
        { ...event, key: 'b.bin', deltaSize: 4, userMeta: {} },
      ],
    });
    expect((await oss.get('a.bin')).content.toString()).toBe('abcd');

    // Validated before anything is written.
    const bad = await fetch(`${admin}/ev-bucket`, {
      method: 'POST',
      body: JSON.stringify({ keys: ['c', '/d'] }),
    });
    expect(bad.status).toBe(400);
    expect(emu.store.headObject('ev-bucket', 'c')).toBeUndefined();
    expect((await fetch(`${admin}/ev-bucket`, { method: 'POST', body: '{"keys": 1}' })).status).toBe(400);
    expect((await fetch(`${admin}/no-bucket`, { method: 'POST', body: '{"keys": []}' })).status).toBe(404);
  });
});
