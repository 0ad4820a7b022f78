// buildRecord: the PAI record of one object. Uri keeps the key as-is; FileName is the last path segment.
import { describe, expect, it } from 'vitest';
import { buildRecord, objectUri, type RecordFacts } from '../../../src/sync/record-builder.ts';

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
      FileUpdateTime: '2024-05-06T07:08:09.123Z',
      FileCreateTime: '2024-05-06T07:08:09.123Z',
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
    expect(r.FileUpdateTime).toBe('1970-01-01T00:00:00.000Z');
  });

  it('throws on a lastModified that is not a time rather than sending garbage', () => {
    expect(() => buildRecord(facts({ lastModified: Number.NaN }))).toThrow(RangeError);
  });
});
