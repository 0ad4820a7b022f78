// Bucket lifecycle through the real ali-oss client: PutBucket, GetBucketInfo, ListBuckets,
// DeleteBucket, in every signing version x addressing style.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { MODES, client, ossError } from './client.ts';

let emu: OssEmulator;
beforeAll(async () => {
  emu = await startOssEmulator({ buckets: ['home-bucket'] });
});
afterAll(async () => {
  await emu.close();
});

describe.each(MODES)('$name', (mode) => {
  const suffix = `${mode.v4 ? 'v4' : 'v1'}-${mode.pathStyle ? 'path' : 'vhost'}`;

  it('creates a bucket with a storage class and ACL, shows it in GetBucketInfo and ListBuckets, deletes it', async () => {
    const oss = client(emu, 'home-bucket', mode);
    const name = `made-${suffix}`;
    const put = await oss.putBucket(name, { storageClass: 'IA', acl: 'public-read' } as never);
    expect(put.res.status).toBe(200);
    expect(emu.store.hasBucket(name)).toBe(true);

    const info = await oss.getBucketInfo(name);
    const b = info.bucket as Record<string, unknown>;
    expect(b.Name).toBe(name);
    expect(b.StorageClass).toBe('IA');
    expect(b.Location).toBe('oss-cn-hangzhou');
    expect(b.ExtranetEndpoint).toBe('oss-cn-hangzhou.aliyuncs.com');
    expect((b.AccessControlList as Record<string, string>).Grant).toBe('public-read');
    expect(b.DataRedundancyType).toBe('LRS');
    expect(new Date(b.CreationDate as string).getTime()).toBeGreaterThan(0);

    const list = await oss.listBuckets({ prefix: name } as never);
    expect(list.buckets?.map((x) => x.name)).toEqual([name]);
    expect(list.buckets?.[0]).toMatchObject({ region: 'oss-cn-hangzhou', storageClass: 'IA' });
    expect(list.owner.id).toMatch(/^\d+$/);

    // An own bucket may be "created" again with the same settings; a different storage class is refused.
    await oss.putBucket(name, { storageClass: 'IA' } as never);
    const again = await ossError(oss.putBucket(name, { storageClass: 'Archive' } as never));
    expect(again.status).toBe(409);
    expect(again.code).toBe('BucketAlreadyExists');

    await oss.deleteBucket(name);
    expect(emu.store.hasBucket(name)).toBe(false);
    const gone = await ossError(oss.getBucketInfo(name));
    expect(gone.status).toBe(404);
    expect(gone.code).toBe('NoSuchBucket');
  });

  it('refuses to delete a bucket that still has objects or multipart uploads', async () => {
    const oss = client(emu, 'home-bucket', mode);
    const name = `full-${suffix}`;
    await oss.putBucket(name);
    const inBucket = client(emu, name, mode);
    await inBucket.put('a.txt', Buffer.from('a'));
    const err = await ossError(oss.deleteBucket(name));
    expect(err.status).toBe(409);
    expect(err.code).toBe('BucketNotEmpty');
    await inBucket.delete('a.txt');
    const upload = await inBucket.initMultipartUpload('pending.bin');
    expect((await ossError(oss.deleteBucket(name))).code).toBe('BucketNotEmpty');
    await inBucket.abortMultipartUpload('pending.bin', upload.uploadId);
    await oss.deleteBucket(name);
    expect(emu.store.hasBucket(name)).toBe(false);
  });
});

describe('ListBuckets paging and errors', () => {
  it('pages with max-keys and marker in name order', async () => {
    for (const n of ['page-c', 'page-a', 'page-b']) emu.store.createBucket(n);
    const oss = client(emu, 'home-bucket');
    const first = await oss.listBuckets({ prefix: 'page-', 'max-keys': 2 } as never);
    expect(first.buckets?.map((b) => b.name)).toEqual(['page-a', 'page-b']);
    expect(first.isTruncated).toBe(true);
    expect(first.nextMarker).toBe('page-b');
    const second = await oss.listBuckets({ prefix: 'page-', marker: first.nextMarker } as never);
    expect(second.buckets?.map((b) => b.name)).toEqual(['page-c']);
    expect(second.isTruncated).toBe(false);
  });

  it('DeleteBucket of a missing bucket answers NoSuchBucket', async () => {
    const err = await ossError(client(emu, 'home-bucket').deleteBucket('never-made'));
    expect(err.status).toBe(404);
    expect(err.code).toBe('NoSuchBucket');
  });
});
