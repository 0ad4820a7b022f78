// What `verify --fix` does about each drifted key, decided purely (table-tested). The repair itself goes
// through the normal pipeline: fix.ts corrects the binding's Redis state so that the next run sees the drift,
// then a run does the writing (creates, updates, the sweep guarded by maxDelete):
//
//   missing   -> forget the key in the state        -> the run sees a new object -> create
//   stale     -> state points at the kept record     -> the run sees a changed object -> update that record
//                with facts no listing can have
//   orphaned  -> state points at the record, the    -> the run sees a vanished key -> the sweep deletes it
//                same impossible facts
//   in sync   -> state points at the kept record with the listing's facts -> unchanged (only when it had
//                duplicates, whose extra records are deleted directly: the state holds one record per key)
import type { ObjectEntry } from '../oss/object-store.ts';
import { etagToFingerprint } from '../sync/fingerprint/etag.ts';
import type { Verdict } from './drift.ts';

export type StateFix =
  | { op: 'forget'; key: string }
  | { op: 'point'; key: string; id: string; etag: string; size: number; lastModified: number };

export interface FixStep {
  state: StateFix;
  /** Extra records of the key, deleted by id. */
  drop: string[];
}

/** Facts no listed object has (size -1), so the planner sees "changed" or, without an object, "vanished". */
const FORCE = { etag: '', size: -1, lastModified: 0 };

export function fixStep(key: string, object: ObjectEntry | undefined, v: Verdict): FixStep {
  if (v.kind === 'missing') return { state: { op: 'forget', key }, drop: [] };
  const drop = v.extras.map((r) => r.id);
  if (v.kind === 'in-sync' && object) {
    return {
      state: {
        op: 'point',
        key,
        id: v.keep.id,
        etag: etagToFingerprint(object.etag),
        size: object.size,
        lastModified: object.lastModified,
      },
      drop,
    };
  }
  return { state: { op: 'point', key, id: v.keep.id, ...FORCE }, drop };
}
