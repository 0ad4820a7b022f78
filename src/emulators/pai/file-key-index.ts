// Exact-match index of one version's records by FileName and by (FileDir, FileName): the lookups the sync
// sends (`FileDir="d/" AND (FileName="a" OR ...)`, and FileName alone for keys at the bucket root) are
// answered in O(matches) instead of evaluating the expression over every record. No object per record: two
// hash chains in typed arrays (a head per hash slot, a link per record: 12-16 bytes a record in all, 12.3
// measured at 1M). The keys are not stored: they are read back from the record (its Uri, or the
// FileName/FileDir it was given), so a hash collision costs one comparison, never a wrong answer.
import { Int32Column } from './typed-column.ts';

/** FileDir and FileName as the record answers them (FileName may be missing: a Uri ending in `/`). */
export interface FileKey {
  dir: string;
  name: string | undefined;
}

const NONE = -1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const nameHash = (name: string | undefined): number => fnv(name ?? '', FNV_OFFSET);
// The dir's hash seeds the name's; the extra mix keeps ('a/', 'b') and ('', 'a/b') apart in most cases
// (a collision would only cost a comparison).
const pairHash = (dir: string, name: string | undefined): number =>
  fnv(name ?? '', Math.imul(fnv(dir, FNV_OFFSET) ^ 0x2f, FNV_PRIME) >>> 0);

/** Singly linked chains of seqs per hash slot. */
class HashChains {
  heads: Int32Array;
  readonly next = new Int32Column();

  constructor(slots: number) {
    this.heads = new Int32Array(slots).fill(NONE);
  }

  private slot(hash: number): number {
    return hash & (this.heads.length - 1);
  }

  /** Links `seq` (already given a slot in `next`) at the head of its hash's chain. */
  link(seq: number, hash: number): void {
    const s = this.slot(hash);
    this.next.set(seq, this.heads[s] as number);
    this.heads[s] = seq;
  }

  unlink(seq: number, hash: number): void {
    const s = this.slot(hash);
    let at = this.heads[s] as number;
    if (at === seq) {
      this.heads[s] = this.next.get(seq);
      return;
    }
    while (at !== NONE) {
      const following = this.next.get(at);
      if (following === seq) {
        this.next.set(at, this.next.get(seq));
        return;
      }
      at = following;
    }
  }

  /** Calls `visit` for each seq in the chain of `hash`'s slot (other hashes of the slot included). */
  walk(hash: number, visit: (seq: number) => void): void {
    for (let at = this.heads[this.slot(hash)] as number; at !== NONE; at = this.next.get(at)) visit(at);
  }
}

/** Slots: a power of two, at most 2 records a slot on average before the table doubles. */
function slotsFor(count: number): number {
  let slots = 1024;
  while (slots * 2 < count) slots *= 2;
  return slots;
}

export class FileKeyIndex {
  private byName: HashChains;
  private byDirName: HashChains;
  private count = 0;

  /** `keyAt(seq)`: the record's current key; records 0..count-1 exist and are indexed now. */
  constructor(
    private readonly keyAt: (seq: number) => FileKey,
    count: number,
  ) {
    const slots = slotsFor(count);
    this.byName = new HashChains(slots);
    this.byDirName = new HashChains(slots);
    for (let seq = 0; seq < count; seq++) this.add(seq);
  }

  /** Indexes the record just added at `seq` (the next seq). */
  add(seq: number): void {
    this.byName.next.push(NONE);
    this.byDirName.next.push(NONE);
    this.count++;
    if (this.count > this.byName.heads.length * 2) this.rehash();
    else this.link(seq);
  }

  /** Call after a record's key may have changed, with the key it had before. */
  moved(seq: number, before: FileKey): void {
    const now = this.keyAt(seq);
    if (now.dir === before.dir && now.name === before.name) return;
    this.byName.unlink(seq, nameHash(before.name));
    this.byDirName.unlink(seq, pairHash(before.dir, before.name));
    this.link(seq);
  }

  /** Pushes onto `out` the seqs whose FileName is `name` (any FileDir, or `dir` when given). */
  collect(name: string, dir: string | undefined, out: number[]): void {
    if (dir === undefined) {
      this.byName.walk(nameHash(name), (seq) => {
        if (this.keyAt(seq).name === name) out.push(seq);
      });
    } else {
      this.byDirName.walk(pairHash(dir, name), (seq) => {
        const key = this.keyAt(seq);
        if (key.name === name && key.dir === dir) out.push(seq);
      });
    }
  }

  private link(seq: number): void {
    const key = this.keyAt(seq);
    this.byName.link(seq, nameHash(key.name));
    this.byDirName.link(seq, pairHash(key.dir, key.name));
  }

  /** Doubles the slots and relinks every record (amortised O(1) a record, like an array's growth). */
  private rehash(): void {
    const slots = this.byName.heads.length * 2;
    this.byName.heads = new Int32Array(slots).fill(NONE);
    this.byDirName.heads = new Int32Array(slots).fill(NONE);
    for (let seq = 0; seq < this.count; seq++) this.link(seq);
  }
}
