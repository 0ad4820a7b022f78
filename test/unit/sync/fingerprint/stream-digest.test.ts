import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import OSS from 'ali-oss';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crc64 } from '../../../../src/sync/fingerprint/crc64.ts';
import {
  StreamIdleTimeoutError,
  StreamLengthMismatchError,
  StreamPrematureCloseError,
  digestStream,
} from '../../../../src/sync/fingerprint/stream-digest.ts';

const md5Upper = (data: Uint8Array): string => createHash('md5').update(data).digest('hex').toUpperCase();

function chunked(data: Buffer, chunkSize: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunkSize) yield data.subarray(i, i + chunkSize);
    })(),
  );
}

describe('digestStream', () => {
  it('hashes a multi-MB stream to the same MD5 and CRC-64 as one-shot hashing', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 13);
    const digest = await digestStream(chunked(data, 64 * 1024 + 7), { idleTimeoutMs: 5_000 });
    expect(digest).toEqual({ md5Hex: md5Upper(data), crc64: crc64(data), bytes: data.length });
    expect(digest.md5Hex).toMatch(/^[0-9A-F]{32}$/);
  });

  it('hashes an empty stream (the MD5 of nothing, CRC 0)', async () => {
    const digest = await digestStream(Readable.from([]), { idleTimeoutMs: 1_000, expectedBytes: 0 });
    expect(digest).toEqual({ md5Hex: 'D41D8CD98F00B204E9800998ECF8427E', crc64: '0', bytes: 0 });
  });

  it('accepts string chunks (hashed as UTF-8)', async () => {
    const digest = await digestStream(Readable.from(['1234', '56789']), { idleTimeoutMs: 1_000 });
    expect(digest.crc64).toBe('11051210869376104954');
    expect(digest.md5Hex).toBe(md5Upper(Buffer.from('123456789')));
  });

  it('skips CRC-64 when crc64: false', async () => {
    const digest = await digestStream(Readable.from([Buffer.from('abc')]), {
      idleTimeoutMs: 1_000,
      crc64: false,
    });
    expect(digest).toEqual({ md5Hex: md5Upper(Buffer.from('abc')), crc64: '', bytes: 3 });
  });

  it('resolves when expectedBytes matches', async () => {
    const data = randomBytes(10_000);
    const digest = await digestStream(chunked(data, 999), { idleTimeoutMs: 1_000, expectedBytes: 10_000 });
    expect(digest.bytes).toBe(10_000);
  });

  it('rejects with StreamIdleTimeoutError and destroys a stream that stalls mid-body', async () => {
    const stream = new PassThrough();
    stream.write(Buffer.alloc(1000, 1));
    const err = await digestStream(stream, { idleTimeoutMs: 80 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamIdleTimeoutError);
    expect((err as StreamIdleTimeoutError).idleMs).toBe(80);
    expect((err as StreamIdleTimeoutError).bytesRead).toBe(1000);
    expect(stream.destroyed).toBe(true);
  });

  it('times out a stream that never sends its first byte', async () => {
    const stream = new PassThrough();
    await expect(digestStream(stream, { idleTimeoutMs: 50 })).rejects.toBeInstanceOf(StreamIdleTimeoutError);
    expect(stream.destroyed).toBe(true);
  });

  it('keeps going while chunks keep arriving, even when the whole read outlasts idleTimeoutMs', async () => {
    // Fake time so the gaps are exact on a busy machine: 20 gaps of 100 ms (< 150 ms idle), 2 s in all.
    vi.useFakeTimers();
    try {
      const stream = new PassThrough();
      const done = digestStream(stream, { idleTimeoutMs: 150, expectedBytes: 20 });
      for (let i = 0; i < 20; i++) {
        stream.write(Buffer.from([i]));
        await vi.advanceTimersByTimeAsync(100);
      }
      stream.end();
      const digest = await done;
      expect(digest.bytes).toBe(20);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects with the abort reason and destroys the stream when the signal fires', async () => {
    const stream = new PassThrough();
    const controller = new AbortController();
    const done = digestStream(stream, { idleTimeoutMs: 10_000, signal: controller.signal });
    stream.write(Buffer.from('partial'));
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
    expect(stream.destroyed).toBe(true);
  });

  it('rejects with an AbortError when the signal fires without an Error reason', async () => {
    const stream = new PassThrough();
    const controller = new AbortController();
    const done = digestStream(stream, { idleTimeoutMs: 10_000, signal: controller.signal });
    controller.abort('stop');
    await expect(done).rejects.toMatchObject({ name: 'AbortError', cause: 'stop' });
    expect(stream.destroyed).toBe(true);
  });

  it('rejects at once, destroying the stream, when the signal is already aborted', async () => {
    const stream = new PassThrough();
    await expect(
      digestStream(stream, { idleTimeoutMs: 10_000, signal: AbortSignal.abort(new Error('early')) }),
    ).rejects.toThrow('early');
    expect(stream.destroyed).toBe(true);
  });

  it('rejects a truncated body (fewer bytes than expected)', async () => {
    const err = await digestStream(chunked(Buffer.alloc(900), 100), {
      idleTimeoutMs: 1_000,
      expectedBytes: 1000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamLengthMismatchError);
    expect(err).toMatchObject({ expectedBytes: 1000, actualBytes: 900 });
  });

  it('rejects and stops reading as soon as the body exceeds expectedBytes', async () => {
    const stream = new PassThrough();
    const done = digestStream(stream, { idleTimeoutMs: 10_000, expectedBytes: 10 });
    stream.write(Buffer.alloc(8));
    stream.write(Buffer.alloc(8));
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamLengthMismatchError);
    expect(err).toMatchObject({ expectedBytes: 10, actualBytes: 16 });
    expect(stream.destroyed).toBe(true);
  });

  it('propagates an error emitted by the stream', async () => {
    const stream = new PassThrough();
    const done = digestStream(stream, { idleTimeoutMs: 10_000 });
    stream.write(Buffer.from('abc'));
    const boom = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    stream.destroy(boom);
    await expect(done).rejects.toBe(boom);
  });

  it('rejects with StreamPrematureCloseError when the stream closes without ending', async () => {
    const stream = new PassThrough();
    const done = digestStream(stream, { idleTimeoutMs: 10_000 });
    stream.write(Buffer.from('abc'));
    stream.destroy();
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamPrematureCloseError);
    expect((err as StreamPrematureCloseError).bytesRead).toBe(3);
  });

  it('survives an error emitted after it gave up (no unhandled error event)', async () => {
    const stream = new PassThrough();
    await expect(digestStream(stream, { idleTimeoutMs: 30 })).rejects.toBeInstanceOf(StreamIdleTimeoutError);
    // Without digestStream's late listener this emit would throw synchronously.
    expect(() => stream.emit('error', new Error('late'))).not.toThrow();
  });
});

// The case the idle timer exists for: ali-oss getStream's own timeout stops at the response headers.
describe('digestStream over ali-oss getStream against a local HTTP server', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  async function startServer(handler: http.RequestListener): Promise<OSS> {
    server = http.createServer(handler);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // This server does not check signatures: only the body's transport is under test here.
    return new OSS({
      accessKeyId: 'AK',
      accessKeySecret: 'SK',
      bucket: 'bkt',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'oss-cn-hangzhou',
      timeout: 10_000,
    } as OSS.Options);
  }

  it('digests a full body streamed by the client', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const oss = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': body.length, etag: `"${md5Upper(body)}"` });
      res.end(body);
    });
    const { stream, res } = await oss.getStream('a/b.bin');
    const digest = await digestStream(stream, {
      idleTimeoutMs: 5_000,
      expectedBytes: Number(res.headers['content-length' as keyof typeof res.headers]),
    });
    expect(digest).toEqual({ md5Hex: md5Upper(body), crc64: crc64(body), bytes: body.length });
  });

  it('gives up on a body that stalls after the headers and closes the connection', async () => {
    let serverSocketClosed: Promise<unknown> | undefined;
    const oss = await startServer((req, res) => {
      serverSocketClosed = once(req.socket, 'close');
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(100, 7)); // ...and never the other 900 bytes
    });
    // The client's timeout (10 s) is longer than our idle limit; it would never fire for the body anyway.
    const { stream } = await oss.getStream('stalled.bin');
    const err = await digestStream(stream, { idleTimeoutMs: 150, expectedBytes: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StreamIdleTimeoutError);
    expect((err as StreamIdleTimeoutError).bytesRead).toBe(100);
    // Destroying the response must release the socket, or the stalled connection would leak.
    expect(serverSocketClosed).toBeDefined();
    await expect(serverSocketClosed).resolves.toBeDefined();
  });
});
