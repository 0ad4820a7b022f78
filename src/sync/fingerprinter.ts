// Turns planned items into the facts every sink describes (src/sinks/sink.ts ObjectFacts). Cost of each mode (rclone's rule: say what a fingerprint costs):
//   etag         free: the listing's ETag (an MD5 only for simple PUT uploads; "HEX-N" for multipart)
//   crc64        one HEAD per new/changed object: x-oss-hash-crc64ecma, the same for every upload method
//   content-md5  reads every new/changed object in full: an MD5 of the bytes, whatever the upload method
// Only new or changed objects are fingerprinted: unchanged ones never reach this module.
import pLimit from 'p-limit';
import type { FingerprintMode } from '../config/options.ts';
import type { ObjectStore } from '../oss/object-store.ts';
import type { SyncItem } from '../queue/payloads.ts';
import type { SinkItem } from '../sinks/sink.ts';
import { etagToFingerprint } from './fingerprint/etag.ts';
import { mimeFromContentType, mimeFromKey } from './fingerprint/mime.ts';
import { digestStream } from './fingerprint/stream-digest.ts';

export type Fingerprinted = SinkItem;

export type FingerprintOutcome =
  | { ok: true; value: Fingerprinted }
  /** The object disappeared between listing and fingerprinting. */
  | { ok: false; vanished: true; item: SyncItem }
  | { ok: false; vanished: false; item: SyncItem; reason: string };

export interface FingerprinterOptions {
  bucket: string;
  mode: FingerprintMode;
  concurrency: number;
  streamIdleTimeoutMs?: number;
  /** HEAD every object first even in etag mode (stale items, e.g. from upload events). */
  recheck?: boolean;
}

export async function fingerprintItems(
  store: ObjectStore,
  items: readonly SyncItem[],
  opts: FingerprinterOptions,
): Promise<FingerprintOutcome[]> {
  // etag mode costs nothing per object: one plain loop, without a promise and a closure per object (a full
  // sync of 1M objects would otherwise make 3M of them only to wait on nothing).
  if (opts.mode === 'etag' && !opts.recheck) {
    const out: FingerprintOutcome[] = new Array<FingerprintOutcome>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = { ok: true, value: fromListing(items[i]!, opts.bucket) };
    return out;
  }
  const limit = pLimit(opts.concurrency);
  return Promise.all(items.map((item) => limit(() => fingerprintOne(store, item, opts))));
}

/** etag mode: every fact comes from the listing; the types from the key. */
function fromListing(item: SyncItem, bucket: string): Fingerprinted {
  const mime = mimeFromKey(item.key);
  return {
    item,
    facts: {
      bucket,
      key: item.key,
      size: item.size,
      lastModified: item.lastModified,
      fingerprint: item.etag,
      contentType: mime.contentType,
      fileType: mime.fileType,
    },
  };
}

async function fingerprintOne(
  store: ObjectStore,
  item: SyncItem,
  opts: FingerprinterOptions,
): Promise<FingerprintOutcome> {
  const facts = { bucket: opts.bucket, key: item.key, size: item.size, lastModified: item.lastModified };
  try {
    // content-md5 reads the object anyway: its GET answer carries the same facts as a HEAD would.
    const got = opts.mode === 'content-md5' ? await store.getStream(item.key) : undefined;
    const head = got ? got.head : opts.mode === 'content-md5' ? undefined : await store.head(item.key);
    if (!head) return { ok: false, vanished: true, item };
    // The object may have changed since it was listed: the fresh answer's facts win.
    const fresh: SyncItem = {
      ...item,
      etag: etagToFingerprint(head.etag),
      size: head.size,
      lastModified: head.lastModified,
    };
    const mime = head.contentType ? mimeFromContentType(head.contentType) : mimeFromKey(item.key);
    const freshFacts = { ...facts, size: fresh.size, lastModified: fresh.lastModified };
    let fingerprint: string;
    if (got) {
      fingerprint = (
        await digestStream(got.stream, {
          idleTimeoutMs: opts.streamIdleTimeoutMs ?? 30_000,
          expectedBytes: fresh.size,
          crc64: false,
        })
      ).md5Hex;
    } else {
      // etag mode (re-checked): the fresh ETag. crc64: objects written before OSS computed CRC-64 have
      // none, so fall back to the ETag rather than fail.
      fingerprint = opts.mode === 'crc64' ? (head.crc64 ?? fresh.etag) : fresh.etag;
    }
    return {
      ok: true,
      value: { item: fresh, facts: { ...freshFacts, fingerprint, ...mime } },
    };
  } catch (err) {
    const e = err as { status?: number; code?: string; message?: string };
    if (e.status === 404) return { ok: false, vanished: true, item };
    return {
      ok: false,
      vanished: false,
      item,
      reason: `${e.code ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`,
    };
  }
}
