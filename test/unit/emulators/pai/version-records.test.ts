import { describe, expect, it } from 'vitest';
import { VersionRecords } from '../../../../src/emulators/pai/version-records.ts';
import type { PaiFileMetaRecord } from '../../../../src/emulators/pai/types.ts';

const base = {
  Uri: 'oss://b/cars/2025/a.jpg',
  FileDir: 'cars/2025/',
  FileName: 'a.jpg',
  FileType: 'image',
  ContentType: 'image/jpeg',
  FileFingerPrint: 'ABC',
  DataSize: 15,
  FileCreateTime: '2025-01-12T14:36:01Z',
  FileUpdateTime: '2025-01-12T14:36:01Z',
  SyncTime: '2026-12-02T04:00:00.123Z',
  Status: 'ACTIVE',
} as const;

describe('VersionRecords (columnar)', () => {
  it('gives back exactly the fields it was given, derived ones included', () => {
    const r = new VersionRecords();
    const id = r.add(base);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(r.findById(id)?.rec).toEqual({ ...base, DatasetFileMetaId: id });
  });

  it('keeps values that differ from the derivation: other FileName/FileDir, non-canonical times, rare fields', () => {
    const r = new VersionRecords();
    const odd: Omit<PaiFileMetaRecord, 'DatasetFileMetaId'> = {
      ...base,
      FileName: 'other.jpg',
      FileDir: 'x/',
      FileCreateTime: '2025-01-12T14:36:01.000Z',
      FileUpdateTime: '2025-01-12T22:36:01+08:00',
      Comment: 'c',
      Tags: '{"user":["cat"]}',
      MetaAttributes: '{}',
    };
    const id = r.add(odd);
    expect(r.findById(id)?.rec).toEqual({ ...odd, DatasetFileMetaId: id });
    const bare = { Uri: 'oss://b/k', FileDir: '', SyncTime: 't', Status: 'ACTIVE' } as const;
    const id2 = r.add({ ...bare, FileName: 'k' });
    expect(r.findById(id2)?.rec).toEqual({ ...bare, FileName: 'k', DatasetFileMetaId: id2 });
  });

  it('finds ids of this version only; keeps given (restored) ids', () => {
    const a = new VersionRecords();
    const b = new VersionRecords();
    const idA = a.add(base);
    expect(b.findById(idA)).toBeUndefined();
    expect(a.findById(idA.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBeUndefined();
    expect(a.findById('nope')).toBeUndefined();
    const restored = 'f'.repeat(64);
    expect(b.add({ ...base, DatasetFileMetaId: restored })).toBe(restored);
    expect(b.findById(restored)?.seq).toBe(0);
    expect(b.at(0).rec.DatasetFileMetaId).toBe(restored);
  });

  it('updates and soft-deletes through the columns, and the Uri index follows', () => {
    const r = new VersionRecords();
    const id = r.add(base);
    const s = r.findById(id)!;
    r.update(s, { FileFingerPrint: 'NEW', Tags: '{"user":["x"]}' });
    expect(r.at(0).rec).toMatchObject({ FileFingerPrint: 'NEW', Tags: '{"user":["x"]}', FileName: 'a.jpg' });
    expect(r.activeWithUri(base.Uri)?.seq).toBe(0);
    r.softDelete(s);
    expect(r.at(0).rec.Status).toBe('DELETED');
    expect(r.activeWithUri(base.Uri)).toBeUndefined();
    expect(r.activeCount).toBe(0);
    expect(r.size).toBe(1);
  });
});

describe('VersionRecords key index (FileName, FileDir + FileName)', () => {
  /** What the index must answer: every record with that FileName (and FileDir), found by reading them all. */
  function bruteForce(r: VersionRecords, name: string, dir?: string): number[] {
    const out: number[] = [];
    for (let seq = 0; seq < r.size; seq++) {
      const key = r.fileKeyAt(seq);
      if (key.name === name && (dir === undefined || key.dir === dir)) out.push(seq);
    }
    return out;
  }

  it('grows past its first table (built empty, then 5,000 records) and follows renames and moves', () => {
    const r = new VersionRecords();
    expect(r.seqsWithKeys(['a.jpg'], undefined)).toEqual([]);
    for (let i = 0; i < 5_000; i++) {
      const key = `d${i % 13}/n${i % 31}.jpg`;
      r.add({ ...base, Uri: `oss://b/${key}`, FileDir: `d${i % 13}/`, FileName: `n${i % 31}.jpg` });
    }
    for (let i = 0; i < 5_000; i += 97) {
      r.update(r.at(i), { FileName: `n${(i + 5) % 31}.jpg` });
      if (i % 3 === 0) r.update(r.at(i), { FileDir: 'moved/' });
    }
    r.softDelete(r.at(7)); // deleted records stay candidates: the status filter comes later
    for (const name of ['n0.jpg', 'n5.jpg', 'n30.jpg', 'nope.jpg']) {
      expect(r.seqsWithKeys([name], undefined)).toEqual(bruteForce(r, name));
      for (const dir of ['d0/', 'd12/', 'moved/', ''])
        expect(r.seqsWithKeys([name], [dir])).toEqual(bruteForce(r, name, dir));
    }
    expect(r.seqsWithKeys(['n1.jpg', 'n2.jpg', 'n1.jpg'], ['d1/', 'd2/'])).toEqual(
      [
        ...bruteForce(r, 'n1.jpg', 'd1/'),
        ...bruteForce(r, 'n1.jpg', 'd2/'),
        ...bruteForce(r, 'n2.jpg', 'd1/'),
        ...bruteForce(r, 'n2.jpg', 'd2/'),
      ].sort((a, b) => a - b),
    );
  });
});
