// The seqs of a version's records ordered by one time field (then seq), kept current under writes without
// re-sorting everything: additions wait in a small `pending` list and are merged in (one O(n) merge) at the
// next ordered read; an update that moves a record takes it out (binary search + splice) and re-adds it.

/** Missing values sort before every time; ties break on creation order so the order is total. */
export function comparePosition(av: number | null, aSeq: number, bv: number | null, bSeq: number): number {
  const x = av ?? -Infinity;
  const y = bv ?? -Infinity;
  if (x !== y) return x < y ? -1 : 1;
  return aSeq - bSeq;
}

export class SortedIndex {
  private list: number[];
  private pending: number[] = [];
  private readonly pendingSet = new Set<number>();

  /** `valueOf(seq)`: the record's current sort value; records 0..count-1 exist. */
  constructor(
    private readonly valueOf: (seq: number) => number | null,
    count: number,
  ) {
    this.list = Array.from({ length: count }, (_, i) => i).sort((a, b) => this.compare(a, b));
  }

  private compare(a: number, b: number): number {
    return comparePosition(this.valueOf(a), a, this.valueOf(b), b);
  }

  add(seq: number): void {
    if (this.pendingSet.has(seq)) return;
    this.pending.push(seq);
    this.pendingSet.add(seq);
  }

  /** Call BEFORE the record's sort value changes; the record is re-added for the next merge. */
  detach(seq: number): void {
    if (this.pendingSet.has(seq)) return;
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.list[mid] as number, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (this.list[lo] === seq) this.list.splice(lo, 1);
    this.add(seq);
  }

  /** The ordered seqs with every pending one merged in. */
  settled(): readonly number[] {
    if (this.pending.length === 0) return this.list;
    const extra = this.pending.sort((a, b) => this.compare(a, b));
    const merged = new Array<number>(this.list.length + extra.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.list.length && j < extra.length) {
      const a = this.list[i] as number;
      const b = extra[j] as number;
      if (this.compare(a, b) <= 0) {
        merged[k++] = a;
        i++;
      } else {
        merged[k++] = b;
        j++;
      }
    }
    while (i < this.list.length) merged[k++] = this.list[i++] as number;
    while (j < extra.length) merged[k++] = extra[j++] as number;
    this.list = merged;
    this.pending = [];
    this.pendingSet.clear();
    return merged;
  }
}
