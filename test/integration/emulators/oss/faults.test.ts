// Fault injection as ali-oss experiences it, plus the admin endpoint that changes faults at runtime.
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { client, ossError } from './client.ts';

let emu: OssEmulator;
beforeEach(async () => {
  emu = await startOssEmulator({ buckets: ['fault-bucket'] });
  emu.store.putObject('fault-bucket', 'big.bin', Buffer.alloc(64 * 1024, 1));
});
afterEach(async () => {
  await emu.close();
});

describe('faults', () => {
  it('slowDownRate 1 answers 503 SlowDown', async () => {
    emu.setFaults({ slowDownRate: 1 });
    const err = await ossError(client(emu, 'fault-bucket').get('big.bin'));
    expect(err.status).toBe(503);
    expect(err.code).toBe('SlowDown');
    emu.setFaults({ slowDownRate: 0 });
    expect((await client(emu, 'fault-bucket').head('big.bin')).status).toBe(200);
  });

  it('resetRate 1 destroys the socket: a ResponseError with status -1', async () => {
    emu.setFaults({ resetRate: 1 });
    const err = await ossError(client(emu, 'fault-bucket').head('big.bin'));
    expect(err.status).toBe(-1);
    expect(err.name).toBe('ResponseError');
  });

  it('stallBodyRate 1 sends part of the body then nothing; close() still returns', async () => {
    emu.setFaults({ stallBodyRate: 1 });
    const { stream, res } = await client(emu, 'fault-bucket').getStream('big.bin');
    expect(res.status).toBe(200);
    const received = await new Promise<number>((resolve) => {
      let n = 0;
      const s = stream as Readable;
      // No more data for 300 ms after the latest bytes = stalled (the body is 64 KiB). The quiet period
      // starts at the first bytes, so a slow machine cannot make it end before anything arrived; a body that
      // were sent in full would show as 64 KiB, however late.
      let timer: NodeJS.Timeout | undefined;
      s.on('data', (c: Buffer) => {
        n += c.length;
        clearTimeout(timer);
        timer = setTimeout(() => resolve(n), 300);
      });
    });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(64 * 1024);
    // close() must finish despite the open response, and the client sees its stream end.
    const streamClosed = new Promise<boolean>((resolve) =>
      (stream as Readable).once('close', () => resolve(true)),
    );
    (stream as Readable).on('error', () => {});
    await emu.close();
    expect(await streamClosed).toBe(true);
  });

  it('latencyMs delays answers without failing them', async () => {
    emu.setFaults({ latencyMs: 50 });
    const head = await client(emu, 'fault-bucket').head('big.bin');
    expect(head.status).toBe(200);
  });

  it('rejects invalid fault values', () => {
    expect(() => emu.setFaults({ slowDownRate: 2 })).toThrow(/slowDownRate/);
  });
});

describe('admin endpoint', () => {
  it('reads and changes faults, reads stats and creates buckets without signatures', async () => {
    const base = `http://localhost:${emu.port}/-/admin`;
    expect(await (await fetch(`${base}/faults`)).json()).toEqual({
      latencyMs: 0,
      slowDownRate: 0,
      resetRate: 0,
      stallBodyRate: 0,
    });
    const put = await fetch(`${base}/faults`, { method: 'PUT', body: JSON.stringify({ slowDownRate: 1 }) });
    expect(put.status).toBe(200);
    expect(
      (
        await client(emu, 'fault-bucket')
          .head('big.bin')
          .catch((e: { status: number }) => e)
      ).status,
    ).toBe(503);
    const bad = await fetch(`${base}/faults`, { method: 'PUT', body: JSON.stringify({ nope: 1 }) });
    expect(bad.status).toBe(400);
    await fetch(`${base}/faults`, { method: 'PUT', body: JSON.stringify({ slowDownRate: 0 }) });

    const created = await fetch(`${base}/buckets/admin-made`, { method: 'POST' });
    expect(created.status).toBe(200);
    expect(emu.store.hasBucket('admin-made')).toBe(true);
    expect((await fetch(`${base}/buckets/Bad_Name`, { method: 'POST' })).status).toBe(400);

    const stats = (await (await fetch(`${base}/stats`)).json()) as {
      requests: number;
      byOperation: Record<string, number>;
    };
    expect(stats.byOperation.HeadObject).toBe(1);
    expect(stats.requests).toBe(1);
  });
});
