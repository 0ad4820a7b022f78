import { describe, expect, it } from 'vitest';
import type { SyncItem } from '../../../src/queue/payloads.ts';
import { SPLIT_LIMITS, splitForSync } from '../../../src/sync/job-split.ts';

const item = (i: number, size: number): SyncItem => ({
  key: `k${i}`,
  size,
  etag: 'E',
  lastModified: 0,
  op: 'create',
});
const many = (n: number, size: number) => Array.from({ length: n }, (_, i) => item(i, size));

describe('splitForSync', () => {
  it('keeps a whole page in one job in etag mode', () => {
    expect(splitForSync(many(1000, 10), 'etag').map((p) => p.length)).toEqual([1000]);
  });

  it('cuts crc64 pages by count', () => {
    expect(splitForSync(many(1000, 10), 'crc64').map((p) => p.length)).toEqual([250, 250, 250, 250]);
  });

  it('cuts content-md5 pages by bytes, keeping an oversized object alone, losing nothing', () => {
    const mib = 1024 * 1024;
    const items = [item(0, 20 * mib), item(1, 20 * mib), item(2, 100 * mib), item(3, 1), item(4, 1)];
    const parts = splitForSync(items, 'content-md5');
    expect(parts.map((p) => p.map((i) => i.key))).toEqual([['k0'], ['k1'], ['k2'], ['k3', 'k4']]);
    for (const p of parts.slice(0, -1)) {
      expect(p.length === 1 || p.reduce((n, i) => n + i.size, 0) <= SPLIT_LIMITS['content-md5'].bytes).toBe(
        true,
      );
    }
  });

  it('returns nothing for nothing', () => {
    expect(splitForSync([], 'content-md5')).toEqual([]);
  });
});
