// Bulk seeding at benchmark scale (npm run test:slow): 1,000,000 keys, then a listV2 page near the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { client } from './client.ts';

const COUNT = 1_000_000;
const key = (i: number) => `data/${String(i).padStart(7, '0')}.bin`;

let emu: OssEmulator;
beforeAll(async () => {
  emu = await startOssEmulator({ buckets: ['million-bucket'] });
});
afterAll(async () => {
  await emu.close();
});

describe('seedObjects at 1,000,000 keys', () => {
  it('seeds them and lists a page near the end correctly', async () => {
    function* objects() {
      // Descending order so the single sort at the end really has work to do.
      for (let i = COUNT - 1; i >= 0; i--) yield { key: key(i), body: 'x' };
    }
    expect(emu.store.seedObjects('million-bucket', objects())).toBe(COUNT);
    expect(emu.store.objectCount('million-bucket')).toBe(COUNT);

    const page = await client(emu, 'million-bucket').listV2({
      'start-after': key(COUNT - 6),
      'max-keys': '3',
    } as never);
    expect(page.objects.map((o) => o.name)).toEqual([key(COUNT - 5), key(COUNT - 4), key(COUNT - 3)]);
    expect(page.isTruncated).toBe(true);
    const last = await client(emu, 'million-bucket').listV2({
      'continuation-token': page.nextContinuationToken,
      'max-keys': '1000',
    } as never);
    expect(last.objects.map((o) => o.name)).toEqual([key(COUNT - 2), key(COUNT - 1)]);
    expect(last.isTruncated).toBe(false);
  });
});
