// The planner: a pure merge of one listing page with the state of the same key range (rclone's march).
// No I/O here; table-tested in test/unit/sync/planner.test.ts.
//
//   listing only          -> create
//   both, facts differ    -> update (by DatasetFileMetaId)
//   both, facts equal     -> unchanged (no API call)
//   state only            -> vanished (delete candidate, swept at the end of a complete run)
//
// "Facts" are (etag, size, lastModified): all free from the listing.
import type { ObjectEntry } from '../oss/object-store.ts';
import type { SyncItem } from '../queue/payloads.ts';
import { memberHasFacts, type StateEntry } from './state-store.ts';
import { etagToFingerprint } from './fingerprint/etag.ts';

export interface Plan {
  items: SyncItem[];
  unchanged: number;
  vanished: StateEntry[];
}

export function planPage(listed: readonly ObjectEntry[], state: readonly StateEntry[]): Plan {
  const byKey = new Map<string, StateEntry>();
  for (const s of state) byKey.set(s.key, s);
  const items: SyncItem[] = [];
  let unchanged = 0;
  for (const o of listed) {
    const etag = etagToFingerprint(o.etag);
    const s = byKey.get(o.key);
    if (!s) {
      items.push({ key: o.key, size: o.size, etag, lastModified: o.lastModified, op: 'create' });
      continue;
    }
    byKey.delete(o.key);
    // Compared as encoded text: the entry's facts are decoded only for a changed object (rangeForDiff).
    if (memberHasFacts(s.member, etag, o.size, o.lastModified)) {
      unchanged++;
    } else {
      items.push({
        key: o.key,
        size: o.size,
        etag,
        lastModified: o.lastModified,
        op: 'update',
        metaId: s.metaId,
        prevMember: s.member,
      });
    }
  }
  return { items, unchanged, vanished: [...byKey.values()] };
}
