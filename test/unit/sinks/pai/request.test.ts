// The PAI request builder: the record of one object (Uri keeps the key as-is; FileName is the last path
// segment; times in whole seconds) and how items are cut into calls.
import { describe, expect, it } from 'vitest';
import {
  buildRecord,
  buildUpdate,
  cutBatches,
  objectUri,
  paiTime,
  type RecordFacts,
} from '../../../../src/sinks/pai/request.ts';

const facts = (over: Partial<RecordFacts> = {}): RecordFacts => ({
  bucket: 'my-bucket',
  key: 'photos/2024/cat.jpg',
  size: 1234,
  lastModified: Date.UTC(2024, 4, 6, 7, 8, 9, 123),
  fingerprint: 'ABCDEF0123',
  contentType: 'image/jpeg',
  fileType: 'image',
  ...over,
});

describe('objectUri', () => {
  it('joins bucket and key under oss://', () => {
    expect(objectUri('b', 'a/b.txt')).toBe('oss://b/a/b.txt');
  });

  it.each(['a b.txt', 'x#y?z%20+.txt', 'ü日本🎉', 'line\nbreak'])('keeps %j unencoded', (key) => {
    expect(objectUri('b', key)).toBe(`oss://b/${key}`);
  });
});

describe('buildRecord', () => {
  it('fills every field from the facts', () => {
    expect(buildRecord(facts())).toEqual({
      Uri: 'oss://my-bucket/photos/2024/cat.jpg',
      FileName: 'cat.jpg',
      FileFingerPrint: 'ABCDEF0123',
      FileType: 'image',
      ContentType: 'image/jpeg',
      DataSize: 1234,
      FileUpdateTime: '2024-05-06T07:08:09Z',
      FileCreateTime: '2024-05-06T07:08:09Z',
    });
  });

  it.each([
    ['top.txt', 'top.txt'],
    ['a/b/c.txt', 'c.txt'],
    ['a b/ü 🎉.txt', 'ü 🎉.txt'],
    ['dir/.hidden', '.hidden'],
    ['a//b', 'b'],
  ])('takes the FileName of %j as %j', (key, name) => {
    expect(buildRecord(facts({ key })).FileName).toBe(name);
  });

  it('uses the epoch when lastModified is 0', () => {
    const r = buildRecord(facts({ lastModified: 0 }));
    expect(r.FileUpdateTime).toBe('1970-01-01T00:00:00Z');
  });

  it('throws on a lastModified that is not a time rather than sending garbage', () => {
    expect(() => buildRecord(facts({ lastModified: Number.NaN }))).toThrow(RangeError);
  });
});

describe('paiTime', () => {
  it.each([
    [Date.UTC(2025, 0, 12, 14, 36, 1, 0), '2025-01-12T14:36:01Z'],
    [Date.UTC(2025, 0, 12, 14, 36, 1, 999), '2025-01-12T14:36:01Z'],
    [0, '1970-01-01T00:00:00Z'],
  ])('formats %d as %s (documented shape, no milliseconds)', (ms, text) => {
    expect(paiTime(ms)).toBe(text);
  });
});

describe('buildUpdate', () => {
  it('is the record without Uri, with the record id', () => {
    const u = buildUpdate(facts(), 'id-1');
    expect(u.DatasetFileMetaId).toBe('id-1');
    expect('Uri' in u).toBe(false);
    expect(u.FileUpdateTime).toBe('2024-05-06T07:08:09Z');
  });
});

describe('cutBatches', () => {
  const item = (key: string) => ({ key, size: 1, etag: 'E', lastModified: 0, op: 'create' as const });
  it('cuts by item count and keeps order', () => {
    const items = Array.from({ length: 250 }, (_, i) => item(`k/${i}`));
    const b = cutBatches('b', items, 100, 1 << 20);
    expect(b.map((x) => x.length)).toEqual([100, 100, 50]);
    expect(b.flat()).toEqual(items);
  });
  it('cuts by body bytes, long keys making smaller calls', () => {
    const items = Array.from({ length: 10 }, (_, i) => item(`${'é'.repeat(1000)}/${i}`));
    const b = cutBatches('b', items, 100, 10_000);
    expect(b.length).toBeGreaterThan(1);
    for (const x of b) expect(x.length).toBeLessThan(10);
  });
  it('cuts the same items the same way every time (checkpoints count batches)', () => {
    const items = Array.from({ length: 333 }, (_, i) => item(`k/${'x'.repeat(i % 50)}${i}`));
    expect(cutBatches('b', items, 100, 20_000)).toEqual(cutBatches('b', [...items], 100, 20_000));
  });
});
