// PAI request builder: the record of one object, the update form of it, and how items are cut into calls.
// Uri is oss://bucket/key with the key as-is (not percent-encoded), which is how PAI shows OSS Uris;
// FileName is the last path segment. Times are ISO 8601 UTC in whole seconds, the documented shape
// (`2025-01-12T14:36:01Z`): OSS's Last-Modified has no milliseconds anyway.
import type { FileMetaCreate, FileMetaUpdate } from '../../pai/dataset-api.ts';
import type { SyncItem } from '../../queue/payloads.ts';
import { batchByLimits } from '../../sync/batcher.ts';
import type { ObjectFacts } from '../sink.ts';

export type RecordFacts = ObjectFacts;

export function objectUri(bucket: string, key: string): string {
  return `oss://${bucket}/${key}`;
}

export function fileName(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash >= 0 ? key.slice(slash + 1) : key;
}

// The last time formatted: objects listed together often share their Last-Modified second, and a full sync
// formats one per object.
let lastMs = Number.NaN;
let lastText = '';

/** `2025-01-12T14:36:01Z`: toISOString without the milliseconds (throws RangeError on a non-time). */
export function paiTime(ms: number): string {
  if (ms === lastMs) return lastText;
  // toISOString always ends in ".sssZ".
  const iso = new Date(ms).toISOString();
  lastText = `${iso.slice(0, -5)}Z`;
  lastMs = ms;
  return lastText;
}

export function buildRecord(f: ObjectFacts): FileMetaCreate {
  const time = paiTime(f.lastModified);
  return {
    Uri: objectUri(f.bucket, f.key),
    FileName: fileName(f.key),
    FileFingerPrint: f.fingerprint,
    FileType: f.fileType,
    ContentType: f.contentType,
    DataSize: f.size,
    FileUpdateTime: time,
    // OSS keeps no creation time; the first Last-Modified we see is the best stand-in.
    FileCreateTime: time,
  };
}

export function buildUpdate(f: ObjectFacts, datasetFileMetaId: string): FileMetaUpdate {
  const { Uri: _uri, ...rest } = buildRecord(f);
  return { DatasetFileMetaId: datasetFileMetaId, ...rest };
}

// A record's size in the request body, from the item alone (batches must be cut the same way when a job is
// retried, before any fingerprint is known): UTF-8 bytes of Uri and FileName (a CJK key is three bytes a
// character; text JSON escapes is measured exactly) plus a fixed allowance for the rest: field names,
// punctuation, two times, the size, a fingerprint (<= 64), content and file type (<= 100) and a record id.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\]/;
function textBytes(s: string): number {
  return NEEDS_ESCAPE.test(s)
    ? Buffer.byteLength(JSON.stringify(s), 'utf8')
    : Buffer.byteLength(s, 'utf8') + 2;
}
const FIXED_BYTES = 520;

export function requestBytes(bucket: string, item: SyncItem): number {
  return textBytes(objectUri(bucket, item.key)) + textBytes(fileName(item.key)) + FIXED_BYTES;
}

/** Items per call: <= maxItems records and <= maxBytes of body; creates and updates may share a batch. */
export function cutBatches(
  bucket: string,
  items: readonly SyncItem[],
  maxItems: number,
  maxBytes: number,
): SyncItem[][] {
  return batchByLimits(items, maxItems, maxBytes, (it) => requestBytes(bucket, it));
}
