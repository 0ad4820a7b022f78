import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../../src/oss/object-store.ts';
import { emptyCounts, inSync, judge, recordMatches, tally } from '../../../src/verify/drift.ts';
import { fixStep } from '../../../src/verify/fix-plan.ts';
import type { TargetRecord } from '../../../src/verify/record-source.ts';

const obj: ObjectEntry = {
  key: 'a.jpg',
  size: 5,
  etag: '"abc1"',
  lastModified: 1_700_000_000_000,
  type: 'Normal',
};
const good: TargetRecord = {
  key: 'a.jpg',
  id: 'r1',
  fingerprint: 'ABC1',
  size: 5,
  updatedAt: obj.lastModified,
};

describe('recordMatches', () => {
  it.each([
    ['etag: same fingerprint (case, quotes ignored) and size', good, 'etag', true],
    ['etag: fingerprint differs', { ...good, fingerprint: 'FFFF' }, 'etag', false],
    ['etag: size differs', { ...good, size: 6 }, 'etag', false],
    ['etag: no fingerprint', { key: 'a.jpg', id: 'r', size: 5 }, 'etag', false],
    [
      'crc64: same size and update time, fingerprint not comparable',
      { ...good, fingerprint: '123' },
      'crc64',
      true,
    ],
    ['crc64: object replaced (update time differs)', { ...good, updatedAt: 1 }, 'crc64', false],
    ['content-md5: size differs', { ...good, size: 1 }, 'content-md5', false],
  ] as const)('%s', (_name, r, mode, expected) => {
    expect(recordMatches(obj, r, mode)).toBe(expected);
  });
});

describe('judge', () => {
  it.each([
    ['object only', obj, [], 'missing', 0],
    ['record only', undefined, [good], 'orphaned', 0],
    ['two records, no object', undefined, [good, { ...good, id: 'r2' }], 'orphaned', 1],
    ['object and matching record', obj, [good], 'in-sync', 0],
    ['object and differing record', obj, [{ ...good, size: 9 }], 'stale', 0],
    ['a matching record among others is kept', obj, [{ ...good, id: 'x', size: 9 }, good], 'in-sync', 1],
    [
      'no record matches',
      obj,
      [
        { ...good, size: 9 },
        { ...good, id: 'y', size: 8 },
      ],
      'stale',
      1,
    ],
  ] as const)('%s -> %s', (_name, o, records, kind, extras) => {
    const v = judge(o, records, 'etag');
    expect(v.kind).toBe(kind);
    expect(v.kind === 'missing' ? 0 : v.extras.length).toBe(extras);
    if (kind === 'in-sync') expect(v.kind !== 'missing' && v.keep.id).toBe('r1');
  });

  it('refuses a key with neither object nor record', () => {
    expect(() => judge(undefined, [], 'etag')).toThrow();
  });
});

describe('tally', () => {
  it('counts, samples at most N keys, and keeps records = objects - missing + orphaned + duplicates', () => {
    const c = emptyCounts();
    const add = (key: string, o: ObjectEntry | undefined, rs: TargetRecord[]) =>
      tally(c, key, o, rs, judge(o, rs, 'etag'), 1);
    add('a', obj, [good]);
    add('b', obj, []);
    add('c', obj, []);
    add('d', undefined, [good, good]);
    add('e', obj, [{ ...good, size: 1 }]);
    expect(c).toEqual({
      objects: 4,
      records: 4,
      missing: 2,
      orphaned: 1,
      stale: 1,
      duplicates: 1,
      samples: { missing: ['b'], orphaned: ['d'], stale: ['e'], duplicates: ['d'] },
    });
    expect(c.records).toBe(c.objects - c.missing + c.orphaned + c.duplicates);
    expect(inSync(c)).toBe(false);
    expect(inSync(emptyCounts())).toBe(true);
  });
});

describe('fixStep', () => {
  it.each([
    ['missing: forget the key', obj, judge(obj, [], 'etag'), { op: 'forget', key: 'a.jpg' }, []],
    [
      'stale: point at the record with impossible facts (the run updates it)',
      obj,
      judge(obj, [{ ...good, size: 1 }], 'etag'),
      { op: 'point', key: 'a.jpg', id: 'r1', etag: '', size: -1, lastModified: 0 },
      [],
    ],
    [
      'orphaned with a duplicate: point (the sweep deletes it) and drop the extra',
      undefined,
      judge(undefined, [good, { ...good, id: 'r2' }], 'etag'),
      { op: 'point', key: 'a.jpg', id: 'r1', etag: '', size: -1, lastModified: 0 },
      ['r2'],
    ],
    [
      'in sync with a duplicate: point at the kept record with the listing facts (unchanged)',
      obj,
      judge(obj, [{ ...good, id: 'r0', size: 2 }, good], 'etag'),
      { op: 'point', key: 'a.jpg', id: 'r1', etag: 'ABC1', size: 5, lastModified: obj.lastModified },
      ['r0'],
    ],
  ] as const)('%s', (_name, o, v, state, drop) => {
    expect(fixStep('a.jpg', o, v)).toEqual({ state, drop });
  });
});
