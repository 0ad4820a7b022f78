// dataDir: objects written over HTTP and through the store survive close + restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { client } from './client.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dataDir persistence', () => {
  it('restores buckets, bodies, metadata and deletions after a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oss-emu-'));
    const first = await startOssEmulator({ dataDir: dir, buckets: ['persist-bucket'] });
    const oss = client(first, 'persist-bucket');
    await oss.put('keep/☃ a.txt', Buffer.from('kept'), { meta: { who: 'me' } } as never);
    await oss.put('gone.txt', Buffer.from('bye'));
    await oss.delete('gone.txt');
    first.store.putMultipartObject('persist-bucket', 'multi', [Buffer.from('a'), Buffer.from('b')]);
    first.store.seedObjects('persist-bucket', [
      { key: 'seeded/1', body: 's' },
      { key: 'seeded/2', body: 's' },
    ]);
    const before = first.store.listObjects('persist-bucket');
    await first.close();

    const second = await startOssEmulator({ dataDir: dir });
    try {
      expect(second.store.hasBucket('persist-bucket')).toBe(true);
      expect(second.store.listObjects('persist-bucket')).toEqual(before);
      expect(before.map((o) => o.key)).toEqual(['keep/☃ a.txt', 'multi', 'seeded/1', 'seeded/2']);
      const got = await client(second, 'persist-bucket').get('keep/☃ a.txt');
      expect(got.content.toString()).toBe('kept');
      expect((await client(second, 'persist-bucket').head('keep/☃ a.txt')).meta).toEqual({ who: 'me' });
      expect(second.store.headObject('persist-bucket', 'multi')?.type).toBe('Multipart');
    } finally {
      await second.close();
    }
  });

  it('restores bucket settings and tags; a deleted bucket stays deleted', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oss-emu-'));
    const first = await startOssEmulator({ dataDir: dir, buckets: ['home'] });
    const oss = client(first, 'home');
    await oss.putBucket('ia-bucket', { storageClass: 'IA', acl: 'public-read' } as never);
    await oss.putBucket('short-lived');
    await oss.deleteBucket('short-lived');
    const ia = client(first, 'ia-bucket');
    await ia.put('t.txt', Buffer.from('t'));
    await ia.putObjectTagging('t.txt', { k: 'v' });
    const created = ((await oss.getBucketInfo('ia-bucket')).bucket as Record<string, string>).CreationDate;
    await first.close();

    const second = await startOssEmulator({ dataDir: dir });
    try {
      const again = client(second, 'home');
      expect((await again.listBuckets({})).buckets?.map((b) => b.name)).toEqual(['home', 'ia-bucket']);
      const info = (await again.getBucketInfo('ia-bucket')).bucket as Record<string, unknown>;
      expect(info).toMatchObject({ StorageClass: 'IA', CreationDate: created });
      expect((info.AccessControlList as Record<string, string>).Grant).toBe('public-read');
      expect((await client(second, 'ia-bucket').getObjectTagging('t.txt')).tag).toEqual({ k: 'v' });
    } finally {
      await second.close();
    }
  });
});
