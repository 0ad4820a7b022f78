// The decisions of verify, pure and table-tested (test/unit/verify/drift.test.ts): given one object and the
// records the target holds for its key (either may be absent), what kind of drift is it?
//
//   object, no record            -> missing
//   record(s), no object         -> orphaned (one), plus duplicates for each extra record
//   object and records           -> in sync, or stale when the best record's facts differ; extras are duplicates
//
// "Facts": the size always; with the etag fingerprint mode the FileFingerPrint against the listing's ETag
// (free), with crc64/content-md5 (whose value the listing does not carry) the FileUpdateTime against the
// object's Last-Modified, which changes whenever the object is replaced.
import type { ObjectEntry } from '../oss/object-store.ts';
import { etagToFingerprint } from '../sync/fingerprint/etag.ts';
import type { TargetRecord } from './record-source.ts';

export type FingerprintMode = 'etag' | 'crc64' | 'content-md5';

export function recordMatches(o: ObjectEntry, r: TargetRecord, mode: FingerprintMode): boolean {
  if (r.size !== o.size) return false;
  if (mode === 'etag') return etagToFingerprint(r.fingerprint ?? '') === etagToFingerprint(o.etag);
  return r.updatedAt === o.lastModified;
}

export type Verdict =
  | { kind: 'in-sync'; keep: TargetRecord; extras: TargetRecord[] }
  | { kind: 'missing' }
  | { kind: 'stale'; keep: TargetRecord; extras: TargetRecord[] }
  | { kind: 'orphaned'; keep: TargetRecord; extras: TargetRecord[] };

/** records: every record of one key (possibly empty); object: the listed object of that key, if any. */
export function judge(
  object: ObjectEntry | undefined,
  records: readonly TargetRecord[],
  mode: FingerprintMode,
): Verdict {
  const [first, ...rest] = records;
  if (!object) {
    if (!first) throw new Error('judge() needs an object or a record');
    return { kind: 'orphaned', keep: first, extras: rest };
  }
  if (!first) return { kind: 'missing' };
  // Of several records, keep the one that matches (so a duplicate never makes a key look stale).
  const i = records.findIndex((r) => recordMatches(object, r, mode));
  if (i < 0) return { kind: 'stale', keep: first, extras: rest };
  const keep = records[i]!;
  return { kind: 'in-sync', keep, extras: records.filter((_, j) => j !== i) };
}

export interface DriftCounts {
  objects: number;
  records: number;
  missing: number;
  orphaned: number;
  stale: number;
  /** Records beyond the first for one Uri (so records = objects - missing + orphaned + duplicates). */
  duplicates: number;
  samples: { missing: string[]; orphaned: string[]; stale: string[]; duplicates: string[] };
}

export function emptyCounts(): DriftCounts {
  return {
    objects: 0,
    records: 0,
    missing: 0,
    orphaned: 0,
    stale: 0,
    duplicates: 0,
    samples: { missing: [], orphaned: [], stale: [], duplicates: [] },
  };
}

/** Adds one key's verdict to the counts, keeping at most `sample` keys per kind. */
export function tally(
  c: DriftCounts,
  key: string,
  object: ObjectEntry | undefined,
  records: readonly TargetRecord[],
  v: Verdict,
  sample: number,
): void {
  if (object) c.objects++;
  c.records += records.length;
  const note = (kind: keyof DriftCounts['samples']) => {
    if (c.samples[kind].length < sample) c.samples[kind].push(key);
  };
  if (v.kind !== 'in-sync') {
    c[v.kind]++;
    note(v.kind);
  }
  if (v.kind !== 'missing' && v.extras.length > 0) {
    c.duplicates += v.extras.length;
    note('duplicates');
  }
}

export function inSync(c: DriftCounts): boolean {
  return c.missing === 0 && c.orphaned === 0 && c.stale === 0 && c.duplicates === 0;
}
