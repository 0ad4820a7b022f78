// The records of one dataset version, with the indexes the API needs at a million records:
//   - `all`: creation order; records are never removed (delete is a soft delete), so seq == array index
//     and a creation-order cursor is just a position: O(1) to resume.
//   - `byId`, `activeByUri`: O(1) lookups for update/delete/get and the duplicate-Uri check.
//   - per sort key, a SortedIndex built at the first ordered List and kept current by later writes, so
//     resuming an ordered page is a binary search, never a sort of everything.
import { isoToMs } from './iso-time.ts';
import { SortedIndex, comparePosition, keyValue } from './sorted-index.ts';
import { parseStoredTags, type TagGroups } from './tags.ts';
import type { PaiFileMetaRecord } from './types.ts';
import type { VersionMeta } from './dataset-versions.ts';

export interface StoredRecord {
  readonly seq: number;
  rec: PaiFileMetaRecord;
  /** Parsed sort values (ms, null when missing), so ordering never re-parses ISO strings. */
  createMs: number | null;
  updateMs: number | null;
  /** Parsed Tags, cached for filters; dropped when Tags change. */
  tags?: TagGroups;
}

export type SortKey = 'FileCreateTime' | 'FileUpdateTime';

/** Where a page ended: the last record's sort value (null = missing) and seq. */
export interface ScanPosition {
  value: number | null;
  seq: number;
}

function ms(text: string | undefined): number | null {
  return text === undefined ? null : (isoToMs(text) ?? null);
}

export function sortValue(s: StoredRecord, key: SortKey): number | null {
  return keyValue(s, key);
}

export function tagsOf(stored: StoredRecord): TagGroups {
  stored.tags ??= parseStoredTags(stored.rec.Tags);
  return stored.tags;
}

const SORT_KEYS: SortKey[] = ['FileCreateTime', 'FileUpdateTime'];

export class VersionRecords {
  /** Set by the store when the version is created or restored (dataset-versions.ts). */
  meta: VersionMeta | undefined;
  readonly all: StoredRecord[] = [];
  readonly byId = new Map<string, StoredRecord>();
  readonly activeByUri = new Map<string, StoredRecord>();
  private active = 0;
  private readonly sorted = new Map<SortKey, SortedIndex>();

  get activeCount(): number {
    return this.active;
  }

  add(rec: PaiFileMetaRecord): StoredRecord {
    const stored: StoredRecord = {
      seq: this.all.length,
      rec,
      createMs: ms(rec.FileCreateTime),
      updateMs: ms(rec.FileUpdateTime),
    };
    this.all.push(stored);
    this.byId.set(rec.DatasetFileMetaId, stored);
    if (rec.Status === 'ACTIVE') {
      this.active++;
      // With duplicates allowed, the Uri index points at the newest ACTIVE record.
      this.activeByUri.set(rec.Uri, stored);
    }
    for (const index of this.sorted.values()) index.add(stored);
    return stored;
  }

  update(stored: StoredRecord, patch: Partial<PaiFileMetaRecord>): void {
    for (const key of SORT_KEYS) {
      if (key in patch && patch[key] !== stored.rec[key]) this.sorted.get(key)?.detach(stored);
    }
    if ('Tags' in patch) delete stored.tags;
    stored.rec = { ...stored.rec, ...patch };
    stored.createMs = ms(stored.rec.FileCreateTime);
    stored.updateMs = ms(stored.rec.FileUpdateTime);
  }

  softDelete(stored: StoredRecord): void {
    if (stored.rec.Status !== 'ACTIVE') return;
    stored.rec = { ...stored.rec, Status: 'DELETED' };
    this.active--;
    if (this.activeByUri.get(stored.rec.Uri) === stored) this.activeByUri.delete(stored.rec.Uri);
  }

  private sortedBy(key: SortKey): StoredRecord[] {
    let index = this.sorted.get(key);
    if (!index) {
      index = new SortedIndex(key, this.all);
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
        for (let i = (after ? after.seq : this.all.length) - 1; i >= 0; i--)
          yield this.all[i] as StoredRecord;
      } else {
        for (let i = after ? after.seq + 1 : 0; i < this.all.length; i++) yield this.all[i] as StoredRecord;
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
        const s = list[mid] as StoredRecord;
        const c = comparePosition(keyValue(s, key), s.seq, after.value, after.seq);
        if (desc ? c < 0 : c <= 0) lo = mid + 1;
        else hi = mid;
      }
    } else {
      lo = desc ? list.length : 0;
    }
    if (desc) for (let i = lo - 1; i >= 0; i--) yield list[i] as StoredRecord;
    else for (let i = lo; i < list.length; i++) yield list[i] as StoredRecord;
  }
}
