// A bucket's objects as two parallel arrays sorted by key in UTF-8 byte order: `keys[i]` and `slots[i]`.
// No Map: a point lookup is a binary search (24 steps at 10M keys), and each object costs its key string
// plus two array slots (about 56 bytes at the bench's 23-byte keys) instead of a Map entry, a record object
// and its fields (about 220). Seeded objects that share body, times and type share ONE slot object without
// a key (a `Shape`); the record is materialised on read. Records are never mutated in place (every write
// builds a new one), so sharing is safe.
//
// Inserting or deleting one key splices both arrays (a memmove of 8 bytes per key: milliseconds at 10M);
// bulk loads (seeding, persistence) merge a sorted run in once.
import type { ObjectRecord } from './object-record.ts';
import { compareUtf8 } from './utf8-order.ts';

/** A record without its key: what seeded objects with the same body, time and type share. */
export type Shape = Omit<ObjectRecord, 'key'>;
type Slot = ObjectRecord | Shape;

/** First index whose key is >= `target`. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid] as string, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function materialise(key: string, slot: Slot): ObjectRecord {
  return 'key' in slot ? slot : { key, ...slot };
}

export class ObjectTable {
  private keyList: string[] = [];
  private slots: Slot[] = [];

  /** Sorted by compareUtf8; read-only for callers (listing scans it). */
  get keys(): readonly string[] {
    return this.keyList;
  }

  get size(): number {
    return this.keyList.length;
  }

  /** Index of `key`, or -1. */
  indexOf(key: string): number {
    const i = lowerBound(this.keyList, key);
    return this.keyList[i] === key ? i : -1;
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  get(key: string): ObjectRecord | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.at(i);
  }

  /** The record at a listing position (0 <= i < size). */
  at(i: number): ObjectRecord {
    return materialise(this.keyList[i] as string, this.slots[i] as Slot);
  }

  set(r: ObjectRecord): void {
    const i = lowerBound(this.keyList, r.key);
    if (this.keyList[i] === r.key) {
      this.slots[i] = r;
      return;
    }
    this.keyList.splice(i, 0, r.key);
    this.slots.splice(i, 0, r);
  }

  /** Removes and returns the record (undefined when absent). */
  delete(key: string): ObjectRecord | undefined {
    const i = this.indexOf(key);
    if (i < 0) return undefined;
    const r = this.at(i);
    this.keyList.splice(i, 1);
    this.slots.splice(i, 1);
    return r;
  }

  /**
   * Adds many objects at once (later entries win over earlier ones and over existing keys): sorts the new
   * run only when it is not already in order, then merges it with the table in one pass.
   */
  bulkSet(keys: string[], slots: Slot[]): void {
    let order: Uint32Array | undefined;
    for (let i = 1; i < keys.length; i++) {
      if (compareUtf8(keys[i - 1] as string, keys[i] as string) >= 0) {
        order = Uint32Array.from({ length: keys.length }, (_, j) => j);
        // Stable: equal keys keep their input order, so the last one is the one kept below.
        order.sort((a, b) => compareUtf8(keys[a] as string, keys[b] as string) || a - b);
        break;
      }
    }
    // Arrays of the exact size (push would leave up to 50% spare capacity, 8 bytes a slot at 10M keys).
    let newKeys = new Array<string>(keys.length);
    let newSlots = new Array<Slot>(keys.length);
    let n = 0;
    for (let j = 0; j < keys.length; j++) {
      const k = order ? (order[j] as number) : j;
      const key = keys[k] as string;
      if (n > 0 && newKeys[n - 1] === key) {
        newSlots[n - 1] = slots[k] as Slot;
        continue;
      }
      newKeys[n] = key;
      newSlots[n++] = slots[k] as Slot;
    }
    newKeys.length = n;
    newSlots.length = n;
    if (this.keyList.length > 0) [newKeys, newSlots] = this.merge(newKeys, newSlots);
    this.keyList = newKeys;
    this.slots = newSlots;
  }

  /** The table's run and a sorted, duplicate-free new run merged (new entries win). */
  private merge(newKeys: string[], newSlots: Slot[]): [string[], Slot[]] {
    const oldKeys = this.keyList;
    const oldSlots = this.slots;
    const keys = new Array<string>(oldKeys.length + newKeys.length);
    const slots = new Array<Slot>(keys.length);
    let a = 0;
    let b = 0;
    let n = 0;
    while (a < oldKeys.length || b < newKeys.length) {
      const c =
        a >= oldKeys.length
          ? 1
          : b >= newKeys.length
            ? -1
            : compareUtf8(oldKeys[a] as string, newKeys[b] as string);
      if (c < 0) {
        keys[n] = oldKeys[a] as string;
        slots[n++] = oldSlots[a++] as Slot;
      } else {
        if (c === 0) a++;
        keys[n] = newKeys[b] as string;
        slots[n++] = newSlots[b++] as Slot;
      }
    }
    keys.length = n;
    slots.length = n;
    return [keys, slots];
  }
}
