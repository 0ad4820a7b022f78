// The records of a version ordered by one time field (then seq), kept current under writes without
// re-sorting everything: additions wait in a small `pending` list and are merged in (one O(n) merge) at the
// next ordered read; an update that moves a record takes it out (binary search + splice) and re-adds it.
import type { SortKey, StoredRecord } from './version-records.ts';

export function keyValue(s: StoredRecord, key: SortKey): number | null {
  return key === 'FileCreateTime' ? s.createMs : s.updateMs;
}

/** Missing values sort before every time; ties break on creation order so the order is total. */
export function comparePosition(av: number | null, aSeq: number, bv: number | null, bSeq: number): number {
  const x = av ?? -Infinity;
  const y = bv ?? -Infinity;
  if (x !== y) return x < y ? -1 : 1;
  return aSeq - bSeq;
}

export class SortedIndex {
  private list: StoredRecord[];
  private pending: StoredRecord[] = [];
  private readonly pendingSet = new Set<StoredRecord>();

  constructor(
    private readonly key: SortKey,
    all: readonly StoredRecord[],
  ) {
    this.list = [...all].sort((a, b) => this.compare(a, b));
  }

  private compare(a: StoredRecord, b: StoredRecord): number {
    return comparePosition(keyValue(a, this.key), a.seq, keyValue(b, this.key), b.seq);
  }

  add(s: StoredRecord): void {
    if (this.pendingSet.has(s)) return;
    this.pending.push(s);
    this.pendingSet.add(s);
  }

  /** Call BEFORE the record's sort value changes; the record is re-added for the next merge. */
  detach(s: StoredRecord): void {
    if (this.pendingSet.has(s)) return;
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.list[mid] as StoredRecord, s) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (this.list[lo] === s) this.list.splice(lo, 1);
    this.add(s);
  }

  /** The ordered records with every pending one merged in. */
  settled(): StoredRecord[] {
    if (this.pending.length === 0) return this.list;
    const extra = this.pending.sort((a, b) => this.compare(a, b));
    const merged: StoredRecord[] = new Array<StoredRecord>(this.list.length + extra.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.list.length && j < extra.length) {
      const a = this.list[i] as StoredRecord;
      const b = extra[j] as StoredRecord;
      if (this.compare(a, b) <= 0) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < this.list.length) merged[k++] = this.list[i++] as StoredRecord;
    while (j < extra.length) merged[k++] = extra[j++] as StoredRecord;
    this.list = merged;
    this.pending = [];
    this.pendingSet.clear();
    return merged;
  }
}
