// The records of one dataset version, stored by column so that 10M records fit in memory (about 160
// bytes a record instead of 650): a record is its position `seq` (creation order; records are never
// removed, delete is a soft delete) and one slot per field in typed or plain arrays. Values most records
// leave to their defaults cost nothing: the id is derived from (version, seq) (file-meta-ids.ts),
// FileDir and FileName from the Uri, the time texts from their parsed milliseconds when they have the
// canonical form, FileType/ContentType are interned; rare fields (Comment, Tags, ...) live in a sparse
// map. Readers get a freshly materialised `StoredRecord` (`at(seq)`), never a live object.
//   - creation order: seq itself, so a creation-order cursor is O(1) to resume;
//   - `findById`, `activeWithUri`: O(1) (decrypting the id; a Map by Uri of ACTIVE records);
//   - per sort key, a SortedIndex of seqs built at the first ordered List and kept current by later
//     writes, so resuming an ordered page is a binary search, never a sort of everything;
//   - by FileName and by (FileDir, FileName), a FileKeyIndex built at the first exact-key lookup (a
//     QueryExpression requiring FileName values) and kept current by later writes: O(matches) lookups.
import { FileKeyIndex, type FileKey } from './file-key-index.ts';
import { derivedId, newVersionTag, seqOfDerivedId } from './file-meta-ids.ts';
import { splitUriPath } from './file-meta-fields.ts';
import { isoToMs } from './iso-time.ts';
import { SortedIndex, comparePosition } from './sorted-index.ts';
import { parseStoredTags, type TagGroups } from './tags.ts';
import { Float64Column, Uint8Column } from './typed-column.ts';
import type { PaiFileMetaRecord } from './types.ts';
import type { VersionMeta } from './dataset-versions.ts';

/** A snapshot of one record: changing it changes nothing stored (use update/softDelete). */
export interface StoredRecord {
  readonly seq: number;
  readonly rec: PaiFileMetaRecord;
  /** Parsed sort values (ms, null when missing), so ordering never re-parses ISO strings. */
  readonly createMs: number | null;
  readonly updateMs: number | null;
  /** Parsed Tags, cached on the snapshot for filters. */
  tags?: TagGroups;
}

export type SortKey = 'FileCreateTime' | 'FileUpdateTime';

/** Where a page ended: the last record's sort value (null = missing) and seq. */
export interface ScanPosition {
  value: number | null;
  seq: number;
}

/** A record as given to `add`: the id is derived unless one is given (records restored from a file). */
export type NewRecord = Omit<PaiFileMetaRecord, 'DatasetFileMetaId'> & { DatasetFileMetaId?: string };

export function sortValue(s: StoredRecord, key: SortKey): number | null {
  return key === 'FileCreateTime' ? s.createMs : s.updateMs;
}

export function tagsOf(stored: StoredRecord): TagGroups {
  stored.tags ??= parseStoredTags(stored.rec.Tags);
  return stored.tags;
}

/** Fields kept in the sparse map: rare ones, and derived ones whose value is not the derivation. */
type Extra = Partial<
  Pick<
    PaiFileMetaRecord,
    | 'FileName'
    | 'FileDir'
    | 'FileCreateTime'
    | 'FileUpdateTime'
    | 'Comment'
    | 'MetaAttributes'
    | 'Tags'
    | 'TagUpdateTime'
    | 'SemanticIndexJobId'
    | 'SemanticIndexUpdateTime'
  >
>;
const RARE_FIELDS = [
  'Comment',
  'MetaAttributes',
  'Tags',
  'TagUpdateTime',
  'SemanticIndexJobId',
  'SemanticIndexUpdateTime',
] as const;

/** The time text a record's ms stands for: whole seconds without fraction (what clients send), else ms. */
function canonicalTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

function parsedMs(text: string | undefined): number {
  return text === undefined ? Number.NaN : (isoToMs(text) ?? Number.NaN);
}

const STATUS_DELETED = 1;
// FileType and ContentType take few distinct values: one string each, shared by every record.
const INTERN_LIMIT = 10_000;

export class VersionRecords {
  /** Set by the store when the version is created or restored (dataset-versions.ts). */
  meta: VersionMeta | undefined;
  private readonly tag = newVersionTag();
  private readonly uris: string[] = [];
  private readonly syncTimes: string[] = [];
  private readonly fingerprints: Array<string | undefined> = [];
  private readonly fileTypes: Array<string | undefined> = [];
  private readonly contentTypes: Array<string | undefined> = [];
  private readonly sizes = new Float64Column();
  private readonly createMs = new Float64Column();
  private readonly updateMs = new Float64Column();
  private readonly status = new Uint8Column();
  private readonly extras = new Map<number, Extra>();
  private readonly interned = new Map<string, string>();
  /** Ids given to `add` that are not derived (restored from a file written by another process). */
  private readonly givenIds = new Map<string, number>();
  private readonly givenIdOf = new Map<number, string>();
  private readonly uriIndex = new Map<string, number>();
  private active = 0;
  private readonly sorted = new Map<SortKey, SortedIndex>();
  private keyIndex: FileKeyIndex | undefined;

  get activeCount(): number {
    return this.active;
  }

  /** Records ever created (ACTIVE and DELETED). */
  get size(): number {
    return this.uris.length;
  }

  private intern(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const known = this.interned.get(v);
    if (known !== undefined) return known;
    if (this.interned.size < INTERN_LIMIT) this.interned.set(v, v);
    return v;
  }

  idAt(seq: number): string {
    return this.givenIdOf.get(seq) ?? derivedId(this.tag, seq);
  }

  private seqOfId(id: string): number | undefined {
    const given = this.givenIds.get(id);
    if (given !== undefined) return given;
    const seq = seqOfDerivedId(this.tag, id);
    return seq !== undefined && seq < this.size && !this.givenIdOf.has(seq) ? seq : undefined;
  }

  findById(id: string): StoredRecord | undefined {
    const seq = this.seqOfId(id);
    return seq === undefined ? undefined : this.at(seq);
  }

  /** The newest ACTIVE record with this Uri (with duplicates allowed there may be older ones). */
  activeWithUri(uri: string): StoredRecord | undefined {
    const seq = this.uriIndex.get(uri);
    return seq === undefined ? undefined : this.at(seq);
  }

  /** FileDir and FileName of the record at `seq`, exactly as `at` answers them. */
  fileKeyAt(seq: number): FileKey {
    return this.keyOf(seq, this.extras.get(seq));
  }

  private keyOf(seq: number, extra: Extra | undefined): FileKey {
    const hasName = extra !== undefined && 'FileName' in extra;
    const hasDir = extra !== undefined && 'FileDir' in extra;
    const parts = hasName && hasDir ? undefined : splitUriPath(this.uris[seq] as string);
    return {
      dir: (hasDir ? extra.FileDir : parts?.dir) ?? '',
      name: hasName ? extra.FileName : parts?.name || undefined,
    };
  }

  /**
   * The seqs (ascending, each once) of the records whose FileName is one of `names` and, when `dirs` is
   * given, whose FileDir is one of `dirs`, whatever their status. From the FileKeyIndex, built at the
   * first call: O(matches) once built.
   */
  seqsWithKeys(names: readonly string[], dirs: readonly string[] | undefined): number[] {
    this.keyIndex ??= new FileKeyIndex((seq) => this.fileKeyAt(seq), this.size);
    const out: number[] = [];
    for (const name of new Set(names)) {
      if (dirs === undefined) this.keyIndex.collect(name, undefined, out);
      else for (const dir of new Set(dirs)) this.keyIndex.collect(name, dir, out);
    }
    // Distinct (dir, name) pairs select disjoint records, so sorting is all that is left to do.
    return out.sort((a, b) => a - b);
  }

  at(seq: number): StoredRecord {
    const uri = this.uris[seq] as string;
    const extra = this.extras.get(seq);
    const rec: PaiFileMetaRecord = {
      DatasetFileMetaId: this.idAt(seq),
      Uri: uri,
      FileDir: '',
      SyncTime: '',
      Status: 'ACTIVE',
    };
    const key = this.keyOf(seq, extra);
    if (key.name !== undefined) rec.FileName = key.name;
    rec.FileDir = key.dir;
    const fileType = this.fileTypes[seq];
    if (fileType !== undefined) rec.FileType = fileType;
    const contentType = this.contentTypes[seq];
    if (contentType !== undefined) rec.ContentType = contentType;
    const fingerprint = this.fingerprints[seq];
    if (fingerprint !== undefined) rec.FileFingerPrint = fingerprint;
    const size = this.sizes.get(seq);
    if (!Number.isNaN(size)) rec.DataSize = size;
    const created = this.createMs.get(seq);
    const createText = extra && 'FileCreateTime' in extra ? extra.FileCreateTime : undefined;
    if (createText !== undefined) rec.FileCreateTime = createText;
    else if (!Number.isNaN(created)) rec.FileCreateTime = canonicalTime(created);
    const updated = this.updateMs.get(seq);
    const updateText = extra && 'FileUpdateTime' in extra ? extra.FileUpdateTime : undefined;
    if (updateText !== undefined) rec.FileUpdateTime = updateText;
    else if (!Number.isNaN(updated)) rec.FileUpdateTime = canonicalTime(updated);
    rec.SyncTime = this.syncTimes[seq] as string;
    if (extra) for (const f of RARE_FIELDS) if (extra[f] !== undefined) rec[f] = extra[f];
    rec.Status = this.status.get(seq) === STATUS_DELETED ? 'DELETED' : 'ACTIVE';
    return {
      seq,
      rec,
      createMs: Number.isNaN(created) ? null : created,
      updateMs: Number.isNaN(updated) ? null : updated,
    };
  }

  /** Writes every field of `rec` at `seq` (a new slot when seq === size). */
  private write(seq: number, rec: NewRecord): void {
    const put = <T>(column: T[], v: T) => {
      if (seq === column.length) column.push(v);
      else column[seq] = v;
    };
    const putNumber = (column: Float64Column | Uint8Column, v: number) => {
      if (seq === column.length) column.push(v);
      else column.set(seq, v);
    };
    put(this.uris, rec.Uri);
    put(this.syncTimes, rec.SyncTime);
    // Consecutive records often share a fingerprint string's value (same content): keep one string.
    const previous = seq > 0 ? this.fingerprints[seq - 1] : undefined;
    put(this.fingerprints, rec.FileFingerPrint === previous ? previous : rec.FileFingerPrint);
    put(this.fileTypes, this.intern(rec.FileType));
    put(this.contentTypes, this.intern(rec.ContentType));
    putNumber(this.sizes, rec.DataSize ?? Number.NaN);
    const created = parsedMs(rec.FileCreateTime);
    const updated = parsedMs(rec.FileUpdateTime);
    putNumber(this.createMs, created);
    putNumber(this.updateMs, updated);
    putNumber(this.status, rec.Status === 'DELETED' ? STATUS_DELETED : 0);
    const extra: Extra = {};
    let any = false;
    const parts = splitUriPath(rec.Uri);
    if (rec.FileName !== (parts?.name || undefined)) [extra.FileName, any] = [rec.FileName, true];
    if (rec.FileDir !== (parts?.dir ?? '')) [extra.FileDir, any] = [rec.FileDir, true];
    if (
      rec.FileCreateTime !== undefined &&
      (Number.isNaN(created) || canonicalTime(created) !== rec.FileCreateTime)
    )
      [extra.FileCreateTime, any] = [rec.FileCreateTime, true];
    if (
      rec.FileUpdateTime !== undefined &&
      (Number.isNaN(updated) || canonicalTime(updated) !== rec.FileUpdateTime)
    )
      [extra.FileUpdateTime, any] = [rec.FileUpdateTime, true];
    for (const f of RARE_FIELDS) if (rec[f] !== undefined) [extra[f], any] = [rec[f], true];
    if (any) this.extras.set(seq, extra);
    else this.extras.delete(seq);
  }

  /** Adds a record; returns its DatasetFileMetaId. */
  add(rec: NewRecord): string {
    const seq = this.size;
    if (rec.DatasetFileMetaId !== undefined && rec.DatasetFileMetaId !== derivedId(this.tag, seq)) {
      this.givenIds.set(rec.DatasetFileMetaId, seq);
      this.givenIdOf.set(seq, rec.DatasetFileMetaId);
    }
    this.write(seq, rec);
    if (rec.Status === 'ACTIVE') {
      this.active++;
      // With duplicates allowed, the Uri index points at the newest ACTIVE record.
      this.uriIndex.set(rec.Uri, seq);
    }
    for (const index of this.sorted.values()) index.add(seq);
    this.keyIndex?.add(seq);
    return this.idAt(seq);
  }

  update(stored: StoredRecord, patch: Partial<PaiFileMetaRecord>): void {
    const current = this.at(stored.seq).rec;
    for (const key of ['FileCreateTime', 'FileUpdateTime'] as const) {
      if (key in patch && patch[key] !== current[key]) this.sorted.get(key)?.detach(stored.seq);
    }
    const key = this.keyIndex ? this.fileKeyAt(stored.seq) : undefined;
    this.write(stored.seq, { ...current, ...patch });
    if (key) this.keyIndex?.moved(stored.seq, key);
  }

  softDelete(stored: StoredRecord): void {
    const seq = stored.seq;
    if (this.status.get(seq) === STATUS_DELETED) return;
    this.status.set(seq, STATUS_DELETED);
    this.active--;
    const uri = this.uris[seq] as string;
    if (this.uriIndex.get(uri) === seq) this.uriIndex.delete(uri);
  }

  private sortValueAt(seq: number, key: SortKey): number | null {
    const v = (key === 'FileCreateTime' ? this.createMs : this.updateMs).get(seq);
    return Number.isNaN(v) ? null : v;
  }

  private sortedBy(key: SortKey): readonly number[] {
    let index = this.sorted.get(key);
    if (!index) {
      index = new SortedIndex((seq) => this.sortValueAt(seq, key), this.size);
      this.sorted.set(key, index);
    }
    return index.settled();
  }

  /**
   * Records in the requested order, starting strictly after `after` (a keyset cursor: correct while
   * records are added, updated or deleted between pages; never an offset).
   */
  *scan(key: SortKey | undefined, desc: boolean, after: ScanPosition | undefined): Generator<StoredRecord> {
    if (key === undefined) {
      if (desc) {
        for (let i = (after ? after.seq : this.size) - 1; i >= 0; i--) yield this.at(i);
      } else {
        for (let i = after ? after.seq + 1 : 0; i < this.size; i++) yield this.at(i);
      }
      return;
    }
    const list = this.sortedBy(key);
    // ASC resumes at the first record > after; DESC walks down from just below the first record >= after.
    let lo = 0;
    let hi = list.length;
    if (after) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const seq = list[mid] as number;
        const c = comparePosition(this.sortValueAt(seq, key), seq, after.value, after.seq);
        if (desc ? c < 0 : c <= 0) lo = mid + 1;
        else hi = mid;
      }
    } else {
      lo = desc ? list.length : 0;
    }
    if (desc) for (let i = lo - 1; i >= 0; i--) yield this.at(list[i] as number);
    else for (let i = lo; i < list.length; i++) yield this.at(list[i] as number);
  }

  /** Every record in creation order. */
  *records(): Generator<StoredRecord> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }
}
