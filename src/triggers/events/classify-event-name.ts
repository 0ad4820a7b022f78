// Which OSS event names change what a dataset should contain. Truth table (names without 'oss:'):
//
//   ObjectCreated:{PutObject,PostObject,CopyObject,CompleteMultipartUpload,AppendObject,PutSymlink} -> created
//   ObjectReplication:{ObjectCreated,ObjectModified}                                              -> created
//   ObjectRemoved:* (DeleteObject, DeleteObjects, ...)                                            -> removed
//   ObjectReplication:ObjectRemoved                                                               -> removed
//   ObjectRemoved:AbortMultipartUpload                                                            -> ignored
//   ObjectCreated:{InitiateMultipartUpload,UploadPart,UploadPartCopy}, other ObjectCreated:*      -> ignored
//   ObjectDownloaded:*, ObjectModified:*, ObjectRestore:*, Bucket*, anything else                 -> ignored
//
// Why: intermediate multipart steps create no visible object (CompleteMultipartUpload does), and aborting a
// multipart upload removes the upload, not an object: treating it as "removed" could delete the record of an
// existing object with the same key. Replication events are how a replication *destination* bucket learns
// of writes, so they count like the writes themselves. Unknown ObjectCreated names are ignored rather than
// guessed at: an allow-list fails safe (a missed event is repaired by the next full sync; a wrong one is not).

import type { ObjectEventKind } from './object-event.ts';

const CREATED = new Set([
  'ObjectCreated:PutObject',
  'ObjectCreated:PostObject',
  'ObjectCreated:CopyObject',
  'ObjectCreated:CompleteMultipartUpload',
  'ObjectCreated:AppendObject',
  'ObjectCreated:PutSymlink',
  'ObjectReplication:ObjectCreated',
  'ObjectReplication:ObjectModified',
]);

const NOT_A_REMOVAL = new Set(['ObjectRemoved:AbortMultipartUpload']);

/** Strips the 'oss:' prefix EventBridge puts on `type`, so both spellings classify the same. */
export function stripOssPrefix(name: string): string {
  return name.startsWith('oss:') ? name.slice('oss:'.length) : name;
}

export function classifyEventName(name: string): ObjectEventKind | undefined {
  const n = stripOssPrefix(name);
  if (CREATED.has(n)) return 'created';
  if (n === 'ObjectReplication:ObjectRemoved') return 'removed';
  if (n.startsWith('ObjectRemoved:') && n.length > 'ObjectRemoved:'.length && !NOT_A_REMOVAL.has(n)) {
    return 'removed';
  }
  return undefined;
}
