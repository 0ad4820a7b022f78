// Object tagging through the real ali-oss client: Put/Get/DeleteObjectTagging, x-oss-tagging on
// PutObject, the tag count on HEAD, and the limits OSS enforces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { MODES, client, ossError } from './client.ts';

let emu: OssEmulator;
beforeAll(async () => {
  emu = await startOssEmulator({ buckets: ['tag-bucket'] });
});
afterAll(async () => {
  await emu.close();
});

describe.each(MODES)('$name', (mode) => {
  const key = `${mode.v4 ? 'v4' : 'v1'}-${mode.pathStyle ? 'path' : 'vhost'}/tagged ☃.txt`;

  it('puts, reads and deletes tags without touching the ETag or Last-Modified', async () => {
    const oss = client(emu, 'tag-bucket', mode);
    await oss.put(key, Buffer.from('t'));
    const before = emu.store.headObject('tag-bucket', key);
    expect((await oss.getObjectTagging(key)).tag).toEqual({});

    const put = await oss.putObjectTagging(key, { project: 'a b', 'team:x': '1/2' });
    expect(put.status).toBe(200);
    expect((await oss.getObjectTagging(key)).tag).toEqual({ project: 'a b', 'team:x': '1/2' });
    const head = await oss.head(key);
    expect((head.res.headers as Record<string, string>)['x-oss-tagging-count']).toBe('2');
    const after = emu.store.headObject('tag-bucket', key);
    expect(after?.etag).toBe(before?.etag);
    expect(after?.lastModified.getTime()).toBe(before?.lastModified.getTime());

    const del = await oss.deleteObjectTagging(key);
    expect(del.status).toBe(204);
    expect((await oss.getObjectTagging(key)).tag).toEqual({});
  });
});

describe('tagging rules', () => {
  it('PutObject with x-oss-tagging stores tags; an overwrite without it clears them', async () => {
    const oss = client(emu, 'tag-bucket');
    await oss.put('hdr.txt', Buffer.from('1'), { headers: { 'x-oss-tagging': 'a=1&b=x%20y' } } as never);
    expect((await oss.getObjectTagging('hdr.txt')).tag).toEqual({ a: '1', b: 'x y' });
    await oss.put('hdr.txt', Buffer.from('2'));
    expect((await oss.getObjectTagging('hdr.txt')).tag).toEqual({});
  });

  it('answers NoSuchKey for a missing object and refuses more than 10 tags or a duplicate key', async () => {
    const oss = client(emu, 'tag-bucket');
    const missing = await ossError(oss.getObjectTagging('nope'));
    expect([missing.status, missing.code]).toEqual([404, 'NoSuchKey']);
    emu.store.putObject('tag-bucket', 'limits.txt', 'l');
    const tags = Array.from({ length: 11 }, (_, i) => `<Tag><Key>k${i}</Key><Value>v</Value></Tag>`).join('');
    const raw = (content: string) =>
      ossError(
        oss.request({
          method: 'PUT',
          bucket: 'tag-bucket',
          object: 'limits.txt',
          subres: { tagging: '' },
          mime: 'xml',
          content,
          successStatuses: [200],
        } as never),
      );
    const tooMany = await raw(`<Tagging><TagSet>${tags}</TagSet></Tagging>`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.code).toBe('BadRequest');
    const dup = await raw(
      '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>',
    );
    expect([dup.status, dup.code]).toEqual([400, 'InvalidTag']);
    const malformed = await raw('<NotTagging/>');
    expect(malformed.code).toBe('MalformedXML');
  });
});
