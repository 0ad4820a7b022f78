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
