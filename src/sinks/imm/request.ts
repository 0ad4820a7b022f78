// IMM request builder: the InputFile of one object, the record ids the pipeline keeps, and how items are cut
// into BatchIndexFileMeta calls.
//
// Where the facts go: IMM fills Size, ETag and FileModifiedTime itself by reading the OSS object when it
// indexes, which may be a later version than the one we listed. What we synced is therefore kept where IMM
// keeps user data, in CustomLabels (strings): SyncFingerprint, SyncSize, SyncModified (ms since the epoch),
// plus SyncSendId, a per-send nonce so that confirmation can tell the result of THIS send from an older one.
// ContentType and MediaType are sent too (IMM: "in most cases leave empty"; giving them keeps the listing's
// view, which is what the PAI sink records).
import { createHash } from 'node:crypto';
import type { ImmInputFile } from '../../imm/imm-api.ts';
import { IMM_MAX_BATCH } from '../../imm/imm-api.ts';
import type { SyncItem } from '../../queue/payloads.ts';
import { batchByLimits } from '../../sync/batcher.ts';
import type { ObjectFacts } from '../sink.ts';

export const LABEL = {
  fingerprint: 'SyncFingerprint',
  size: 'SyncSize',
  modified: 'SyncModified',
  sendId: 'SyncSendId',
} as const;

export function objectUri(bucket: string, key: string): string {
  return `oss://${bucket}/${key}`;
}

export function keyOfUri(bucket: string, uri: string): string | undefined {
  const base = objectUri(bucket, '');
  return uri.startsWith(base) ? uri.slice(base.length) : undefined;
}

/**
 * IMM keys files by URI, so the record id the pipeline stores is the object key itself, escaped so that it
 * never holds the separators of a state member (TAB, NUL, LF) and stays reversible.
 */
export function targetIdOf(key: string): string {
  return key.replace(/[%\t\n\0]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

export function keyOfTargetId(id: string): string {
  return id.replace(/%(25|09|0A|00)/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const MEDIA: Record<string, string> = { image: 'image', video: 'video', audio: 'audio' };

export function mediaType(f: ObjectFacts): string {
  return (
    MEDIA[f.fileType] ?? (/pdf|msword|officedocument|^text\//.test(f.contentType) ? 'document' : 'other')
  );
}

export function buildInputFile(f: ObjectFacts, sendId: string): ImmInputFile {
  return {
    URI: objectUri(f.bucket, f.key),
    ContentType: f.contentType,
    MediaType: mediaType(f),
    CustomLabels: {
      [LABEL.fingerprint]: f.fingerprint,
      [LABEL.size]: String(f.size),
      [LABEL.modified]: String(f.lastModified),
      [LABEL.sendId]: sendId,
    },
  };
}

/** A nonce per send: the batch's keys and the moment, hashed short. */
export function newSendId(keys: readonly string[], now: number, salt: number): string {
  return createHash('sha256')
    .update(`${now}:${salt}:${keys.join('\0')}`)
    .digest('base64url')
    .slice(0, 16);
}

// Every parameter travels in the URL (RPC style), JSON-encoded and then percent-encoded: one file costs its
// percent-encoded URI (exact) plus about 380 bytes for the labels, content and media type (measured with a
// 36-character fingerprint and a 70-character content type: 435 bytes with a 57-byte URI).
const FIXED_BYTES = 400;
/**
 * Budget for one call's query string. The gateway's URL limit is undocumented; 64 KB holds 100 files with
 * keys up to ~200 bytes, and longer keys simply make smaller batches.
 */
export const MAX_QUERY_BYTES = 64 * 1024;

export function requestBytes(bucket: string, item: SyncItem): number {
  return encodeURIComponent(objectUri(bucket, item.key)).length + FIXED_BYTES;
}

/** Creates and updates are the same call for IMM (an index is an upsert by URI). */
export function cutBatches(bucket: string, items: readonly SyncItem[], maxItems: number): SyncItem[][] {
  return batchByLimits(items, Math.min(maxItems, IMM_MAX_BATCH), MAX_QUERY_BYTES, (it) =>
    requestBytes(bucket, it),
  );
}
