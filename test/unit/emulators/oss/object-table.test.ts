import { describe, expect, it } from 'vitest';
import { ObjectTable, type Shape } from '../../../../src/emulators/oss/object-table.ts';
import type { ObjectRecord } from '../../../../src/emulators/oss/object-record.ts';

const shape = (etag: string): Shape => ({
  body: Buffer.from(etag),
  etag,
  lastModifiedMs: 0,
  type: 'Normal',
  contentType: 'text/plain',
  crc64: '0',
  meta: {},
});
const record = (key: string, etag: string): ObjectRecord => ({ key, ...shape(etag) });

describe('ObjectTable', () => {
  it('keeps keys in UTF-8 byte order and materialises shared shapes with their key', () => {
    const t = new ObjectTable();
    const s = shape('S');
    // '\uE000' sorts before an astral character in UTF-8, after it in UTF-16.
    t.bulkSet(['b', '\u{1F600}', '\uE000', 'a'], [s, s, s, s]);
    expect(t.keys).toEqual(['a', 'b', '\uE000', '\u{1F600}']);
    expect(t.get('b')).toEqual({ key: 'b', ...s });
    expect(t.at(0).key).toBe('a');
    expect(t.get('c')).toBeUndefined();
    expect(t.size).toBe(4);
  });

  it('lets the last of duplicate keys win, within a run and over existing keys', () => {
    const t = new ObjectTable();
    t.bulkSet(['a', 'c', 'e'], [shape('1'), shape('1'), shape('1')]);
    t.bulkSet(['d', 'c', 'a', 'c'], [shape('2'), shape('2'), shape('3'), shape('4')]);
    expect(t.keys).toEqual(['a', 'c', 'd', 'e']);
    expect(t.keys.map((k) => t.get(k)?.etag)).toEqual(['3', '4', '2', '1']);
  });

  it('inserts, replaces and deletes single records in order', () => {
    const t = new ObjectTable();
    t.set(record('m', '1'));
    t.set(record('a', '1'));
    t.set(record('z', '1'));
    t.set(record('m', '2'));
    expect(t.keys).toEqual(['a', 'm', 'z']);
    expect(t.get('m')?.etag).toBe('2');
    expect(t.delete('m')?.etag).toBe('2');
    expect(t.delete('m')).toBeUndefined();
    expect(t.keys).toEqual(['a', 'z']);
    expect(t.has('z')).toBe(true);
  });
});
