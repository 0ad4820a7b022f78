// Object operations through the real ali-oss client, in every signing version x addressing style.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, crc64, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { MODES, client, ossError } from './client.ts';

let emu: OssEmulator;
beforeAll(async () => {
  emu = await startOssEmulator({ buckets: ['objects-bucket'] });
});
afterAll(async () => {
  await emu.close();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe.each(MODES)('$name', (mode) => {
  const prefix = `${mode.v4 ? 'v4' : 'v1'}-${mode.pathStyle ? 'path' : 'vhost'}/`;

  it('put stores the body with an MD5 ETag, CRC-64 and metadata; head returns all headers', async () => {
    const oss = client(emu, 'objects-bucket', mode);
    const key = `${prefix}dir/a b+c%#?\n☃.txt`;
    const body = Buffer.from('hello world');
    const put = await oss.put(key, body, { meta: { owner: 'alice' } } as never);
    const md5 = createHash('md5').update(body).digest('hex').toUpperCase();
    const headers = put.res.headers as Record<string, string>;
    expect(headers.etag).toBe(`"${md5}"`);
    expect(headers['x-oss-hash-crc64ecma']).toBe('5981764153023615706');

    const head = await oss.head(key);
    const h = head.res.headers as Record<string, string>;
    expect(head.status).toBe(200);
    expect(h.etag).toBe(`"${md5}"`);
    expect(h['content-length']).toBe('11');
    expect(h['content-type']).toBe('text/plain'); // ali-oss guesses it from the extension
    expect(h['content-md5']).toBe(createHash('md5').update(body).digest('base64'));
    expect(h['x-oss-object-type']).toBe('Normal');
    expect(h['x-oss-storage-class']).toBe('Standard');
    expect(h['x-oss-hash-crc64ecma']).toBe(crc64(body));
    expect(h['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(new Date(h['last-modified'] as string).getTime()).toBe(
      emu.store.headObject('objects-bucket', key)?.lastModified.getTime(),
    );
    expect(head.meta).toEqual({ owner: 'alice' });
    expect(emu.store.getObject('objects-bucket', key)?.body.toString()).toBe('hello world');
  });

  it('get honours ranges the OSS way', async () => {
    const oss = client(emu, 'objects-bucket', mode);
    const key = `${prefix}range.bin`;
    const body = Buffer.from('0123456789');
    emu.store.putObject('objects-bucket', key, body);

    const part = await oss.get(key, undefined, { headers: { Range: 'bytes=2-5' } } as never);
    expect(part.res.status).toBe(206);
    expect(part.content.toString()).toBe('2345');
    const ph = part.res.headers as Record<string, string>;
    expect(ph['content-range']).toBe('bytes 2-5/10');
    expect(ph['x-oss-hash-crc64ecma']).toBe(crc64(body)); // whole-object CRC on a ranged GET

    const ignored = await oss.get(key, undefined, { headers: { Range: 'bytes=5-100' } } as never);
    expect(ignored.res.status).toBe(200);
    expect(ignored.content.toString()).toBe('0123456789');

    const err = await ossError(
      oss.get(key, undefined, {
        headers: { Range: 'bytes=10-20', 'x-oss-range-behavior': 'standard' },
      } as never),
    );
    expect(err.status).toBe(416);
    expect(err.code).toBe('InvalidRange');
  });

  it('getStream streams the body', async () => {
    const oss = client(emu, 'objects-bucket', mode);
    const key = `${prefix}stream.bin`;
    const body = Buffer.alloc(256 * 1024, 7);
    emu.store.putObject('objects-bucket', key, body);
    const { stream } = await oss.getStream(key);
    expect((await readAll(stream as Readable)).equals(body)).toBe(true);
  });

  it('rejects a wrong Content-MD5 with InvalidDigest', async () => {
    const oss = client(emu, 'objects-bucket', mode);
    const key = `${prefix}digest.txt`;
    const err = await ossError(
      oss.put(key, Buffer.from('abc'), { headers: { 'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==' } } as never),
    );
    expect(err.code).toBe('InvalidDigest');
    expect(err.status).toBe(400);
    expect(emu.store.headObject('objects-bucket', key)).toBeUndefined();
  });

  it('delete answers success for existing and missing keys; deleteMulti removes many', async () => {
    const oss = client(emu, 'objects-bucket', mode);
    emu.store.putObject('objects-bucket', `${prefix}gone`, 'x');
    expect((await oss.delete(`${prefix}gone`)).res.status).toBe(204);
    expect((await oss.delete(`${prefix}never-existed`)).res.status).toBe(204);
    expect(emu.store.headObject('objects-bucket', `${prefix}gone`)).toBeUndefined();

    const keys = [`${prefix}m/1`, `${prefix}m/<&>"'`, `${prefix}m/line\nbreak`];
    for (const k of keys) emu.store.putObject('objects-bucket', k, 'x');
    const loud = await oss.deleteMulti([...keys.slice(0, 2), `${prefix}m/missing`], { quiet: false });
    expect((loud.deleted as unknown as Array<{ Key: string }>).map((d) => d.Key)).toEqual([
      keys[0],
      keys[1],
      `${prefix}m/missing`,
    ]);
    const quiet = await oss.deleteMulti([keys[2] as string], { quiet: true });
    expect(quiet.res.status).toBe(200);
    expect(emu.store.listObjects('objects-bucket', `${prefix}m/`)).toEqual([]);
  });

  it('head of a missing key is NoSuchKey', async () => {
    const oss = client(emu, 'objects-bucket', mode);
    const err = await ossError(oss.head(`${prefix}missing`));
    expect(err.status).toBe(404);
    expect(err.code).toBe('NoSuchKey');
  });
});

describe('object edge cases', () => {
  it('accepts a 1023-byte key and rejects 1024 bytes with InvalidObjectName', async () => {
    const oss = client(emu, 'objects-bucket');
    const ok = 'k/' + 'é'.repeat(510) + 'x'; // 2 + 1020 + 1 = 1023 bytes
    expect(Buffer.byteLength(ok)).toBe(1023);
    await oss.put(ok, Buffer.from('a'));
    expect(emu.store.headObject('objects-bucket', ok)?.size).toBe(1);
    const err = await ossError(oss.put(ok + 'y', Buffer.from('a')));
    expect(err.code).toBe('InvalidObjectName');
    expect(err.status).toBe(400);
  });

  it('stores zero-byte objects and accepts chunked (stream) uploads', async () => {
    const oss = client(emu, 'objects-bucket');
    await oss.put('empty', Buffer.alloc(0));
    expect(emu.store.headObject('objects-bucket', 'empty')).toMatchObject({ size: 0, crc64: '0' });
    const { Readable } = await import('node:stream');
    await oss.putStream('chunked.bin', Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    const info = emu.store.getObject('objects-bucket', 'chunked.bin');
    expect(info?.body.toString()).toBe('abcdef');
    expect(info?.etag).toBe(`"${createHash('md5').update('abcdef').digest('hex').toUpperCase()}"`);
    expect(info?.contentType).toBe('application/octet-stream');
  });

  it('answers NoSuchBucket for an unknown bucket', async () => {
    const err = await ossError(client(emu, 'no-such-bucket').put('a', Buffer.from('a')));
    expect(err.code).toBe('NoSuchBucket');
    expect(err.status).toBe(404);
  });

  it('shows multipart and appendable objects with their type and ETag form', async () => {
    emu.store.createBucket('typed-bucket');
    emu.store.putMultipartObject('typed-bucket', 'multi', [
      Buffer.alloc(10, 1),
      Buffer.alloc(10, 2),
      Buffer.from('x'),
    ]);
    emu.store.appendObject('typed-bucket', 'app', 'hello ');
    const appended = emu.store.appendObject('typed-bucket', 'app', 'world');
    expect(appended.crc64).toBe('5981764153023615706');
    expect(appended.size).toBe(11);
    const oss = client(emu, 'typed-bucket');
    const list = await oss.listV2({} as never);
    const byName = new Map(list.objects.map((o) => [o.name, o]));
    expect(byName.get('multi')?.type).toBe('Multipart');
    expect(byName.get('multi')?.etag).toMatch(/^"[0-9A-F]{32}-3"$/);
    expect(byName.get('app')?.type).toBe('Appendable');
    expect(byName.get('app')?.etag).toMatch(/^"[0-9A-F]{32}"$/);
    const head = await oss.head('app');
    const h = head.res.headers as Record<string, string>;
    expect(h['x-oss-object-type']).toBe('Appendable');
    expect(h['x-oss-next-append-position']).toBe('11');
    expect(h['content-md5']).toBeUndefined();
  });

  it('counts operations in stats', async () => {
    emu.resetStats();
    const oss = client(emu, 'objects-bucket');
    await oss.put('stats.txt', Buffer.from('s'));
    await oss.head('stats.txt');
    await oss.listV2({} as never);
    expect(emu.stats.requests).toBe(3);
    expect(emu.stats.byOperation).toEqual({ PutObject: 1, HeadObject: 1, ListObjectsV2: 1 });
  });
});
