// How a page's new and changed objects are cut into sync jobs. In etag mode one job per page is cheapest
// (the work is API calls, spread by the gate). When fingerprinting costs per object (a HEAD, or reading the
// bytes), smaller jobs let every worker process take a share instead of one process doing the whole page.
import type { FingerprintMode } from '../config/options.ts';
import type { SyncItem } from '../queue/payloads.ts';

export const SPLIT_LIMITS: Record<FingerprintMode, { items: number; bytes: number }> = {
  etag: { items: 1000, bytes: Number.POSITIVE_INFINITY },
  crc64: { items: 250, bytes: Number.POSITIVE_INFINITY },
  // content-md5 reads every byte: ~32 MiB per job keeps jobs short and spreads hashing over processes.
  'content-md5': { items: 250, bytes: 32 * 1024 * 1024 },
};

export function splitForSync(items: readonly SyncItem[], mode: FingerprintMode): SyncItem[][] {
  const { items: maxItems, bytes: maxBytes } = SPLIT_LIMITS[mode];
  const out: SyncItem[][] = [];
  let cur: SyncItem[] = [];
  let bytes = 0;
  for (const it of items) {
    if (cur.length > 0 && (cur.length >= maxItems || bytes + it.size > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += it.size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
