// CopyObject through the real ali-oss client: metadata directive, cross-bucket copies, copy-source
// conditions and the errors for a missing source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { MODES, client, ossError } from './client.ts';

let emu: OssEmulator;
beforeAll(async () => {
  emu = await startOssEmulator({ buckets: ['copy-src', 'copy-dst'] });
});
afterAll(async () => {
  await emu.close();
});

describe.each(MODES)('$name', (mode) => {
  const prefix = `${mode.v4 ? 'v4' : 'v1'}-${mode.pathStyle ? 'path' : 'vhost'}/`;

  it('COPY keeps body, ETag, CRC, type and metadata; REPLACE takes Content-Type and meta from the request', async () => {
    const oss = client(emu, 'copy-src', mode);
    const src = `${prefix}source ☃.txt`;
    await oss.put(src, Buffer.from('copy me'), { meta: { a: '1' }, mime: 'text/plain' } as never);
    const srcHead = emu.store.headObject('copy-src', src);

    const copied = await oss.copy(`${prefix}copied.txt`, src);
    expect(copied.res.status).toBe(200);
    expect(copied.data?.etag).toBe(srcHead?.etag);
    expect(new Date(copied.data?.lastModified as string).getTime()).toBeGreaterThan(0);
    const c = emu.store.getObject('copy-src', `${prefix}copied.txt`);
    expect(c?.body.toString()).toBe('copy me');
    expect(c).toMatchObject({ etag: srcHead?.etag, crc64: srcHead?.crc64, type: 'Normal', meta: { a: '1' } });
    expect(c?.contentType).toBe('text/plain');

    const replaced = await oss.copy(`${prefix}replaced.txt`, src, {
      meta: { b: '2' },
      headers: { 'Content-Type': 'application/json' },
    } as never);
    expect(replaced.res.status).toBe(200);
    const r = emu.store.headObject('copy-src', `${prefix}replaced.txt`);
    expect(r?.meta).toEqual({ b: '2' });
    expect(r?.contentType).toBe('application/json');
    expect(r?.etag).toBe(srcHead?.etag);
  });

  it('copies across buckets and answers NoSuchKey / NoSuchBucket for a missing source', async () => {
    const dst = client(emu, 'copy-dst', mode);
    emu.store.putObject('copy-src', `${prefix}x.bin`, 'cross');
    await dst.copy(`${prefix}x.bin`, `${prefix}x.bin`, 'copy-src');
    expect(emu.store.getObject('copy-dst', `${prefix}x.bin`)?.body.toString()).toBe('cross');
    const noKey = await ossError(dst.copy('y', `${prefix}missing`, 'copy-src'));
    expect([noKey.status, noKey.code]).toEqual([404, 'NoSuchKey']);
    const noBucket = await ossError(dst.copy('y', 'k', 'no-such-src'));
    expect([noBucket.status, noBucket.code]).toEqual([404, 'NoSuchBucket']);
  });
});

describe('copy-source conditions and directives', () => {
  it('412 on a failed if-match, 304 on a matching if-none-match, InvalidArgument on a bad directive', async () => {
    const oss = client(emu, 'copy-src');
    const info = emu.store.putObject('copy-src', 'cond.txt', 'c');
    const failed = await ossError(
      oss.copy('cond-copy.txt', 'cond.txt', { headers: { 'x-oss-copy-source-if-match': '"NOPE"' } } as never),
    );
    expect([failed.status, failed.code]).toEqual([412, 'PreconditionFailed']);
    // ali-oss prefixes every header it is given with x-oss-copy-source- as well; raw names go through `request`.
    const notModified = await oss.request({
      method: 'PUT',
      bucket: 'copy-src',
      object: 'cond-copy.txt',
      headers: { 'x-oss-copy-source': '/copy-src/cond.txt', 'x-oss-copy-source-if-none-match': info.etag },
      successStatuses: [200, 304],
    } as never);
    expect((notModified as { status: number }).status).toBe(304);
    expect(emu.store.headObject('copy-src', 'cond-copy.txt')).toBeUndefined();
    const bad = await ossError(
      oss.request({
        method: 'PUT',
        bucket: 'copy-src',
        object: 'cond-copy.txt',
        headers: { 'x-oss-copy-source': '/copy-src/cond.txt', 'x-oss-metadata-directive': 'MERGE' },
        successStatuses: [200],
      } as never),
    );
    expect([bad.status, bad.code]).toEqual([400, 'InvalidArgument']);
  });
});
