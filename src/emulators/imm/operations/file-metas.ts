// IndexFileMeta, BatchIndexFileMeta (asynchronous: EventId now, indexing later), BatchUpdateFileMeta,
// GetFileMeta, BatchGetFileMeta, DeleteFileMeta, BatchDeleteFileMeta.
import { randomUUID } from 'node:crypto';
import { invalidArgument, resourceNotFound } from '../api-error.ts';
import { checkInputFile, mediaTypeOf, type InputFile } from '../input-file.ts';
import {
  optJson,
  optString,
  reqJsonArray,
  reqJsonObject,
  reqString,
  stringArray,
  type Query,
} from '../params.ts';
import { nowRfc3339, type DatasetState } from '../store.ts';
import { checkBatch, fileView, type Operation, type OperationContext } from './context.ts';

function target(q: Query, ctx: OperationContext): DatasetState {
  return ctx.store.dataset(reqString(q, 'ProjectName'), reqString(q, 'DatasetName'));
}

/** UserData (<= 2048 bytes) and Notification are accepted and checked; the emulator sends no notifications. */
function checkNotificationParams(q: Query): void {
  const userData = optString(q, 'UserData');
  if (userData !== undefined && Buffer.byteLength(userData) > 2048) {
    throw invalidArgument('The parameter UserData is longer than 2048 bytes.');
  }
  const n = optJson(q, 'Notification');
  if (n !== undefined && (typeof n !== 'object' || n === null || Array.isArray(n))) {
    throw invalidArgument('The parameter Notification must be a JSON object.');
  }
}

/** IMM's EventIds look like "<hex>-<hex>"; the emulator uses a UUID-derived one. */
function newEventId(): string {
  const u = randomUUID().replace(/-/g, '').toUpperCase();
  return `${u.slice(0, 3)}-${u.slice(3, 28)}`;
}

export const indexFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const file = checkInputFile(reqJsonObject(q, 'File'), 'File');
  checkNotificationParams(q);
  ctx.indexer.submit(d, [file]);
  return { RequestId: ctx.requestId, EventId: newEventId() };
};

export const batchIndexFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const raw = reqJsonArray(q, 'Files');
  checkBatch('Files', raw);
  const files = raw.map((f, i) => checkInputFile(f, `Files[${i}]`));
  checkNotificationParams(q);
  ctx.indexer.submit(d, files);
  return { RequestId: ctx.requestId, EventId: newEventId() };
};

/** Synchronous; changes the user-settable fields of files already indexed, never their OSS metadata. */
export const batchUpdateFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const raw = reqJsonArray(q, 'Files');
  checkBatch('Files', raw);
  const files: InputFile[] = raw.map((f, i) => checkInputFile(f, `Files[${i}]`));
  const now = nowRfc3339();
  const results = files.map((f) => {
    const rec = d.files.get(f.URI);
    if (!rec || rec.ObjectStatus !== 'Indexed') {
      return {
        URI: f.URI,
        Success: false,
        Message: `ResourceNotFound: The specified file ${f.URI} is not found.`,
      };
    }
    const next = { ...rec, UpdateTime: now };
    for (const k of ['CustomId', 'CustomLabels', 'Title', 'ProduceTime', 'LatLong', 'FileHash'] as const) {
      if (f[k] !== undefined) (next as Record<string, unknown>)[k] = f[k];
    }
    if (f.ContentType !== undefined) next.ContentType = f.ContentType;
    if (f.MediaType !== undefined || f.ContentType !== undefined) {
      next.MediaType = f.MediaType ?? mediaTypeOf(next.ContentType);
    }
    d.put(next);
    return { URI: f.URI, Success: true, Message: '' };
  });
  return { RequestId: ctx.requestId, Files: results };
};

export const getFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const uri = reqString(q, 'URI');
  const rec = d.files.get(uri);
  if (!rec) throw resourceNotFound('file', uri);
  return { RequestId: ctx.requestId, Files: [fileView(rec, stringArray(q, 'WithFields', false))] };
};

/** URIs the dataset does not hold are left out of Files (no error), see README. */
export const batchGetFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const uris = stringArray(q, 'URIs', true)!;
  checkBatch('URIs', uris);
  const withFields = stringArray(q, 'WithFields', false);
  const files = [];
  for (const uri of uris) {
    const rec = d.files.get(uri);
    if (rec) files.push(fileView(rec, withFields));
  }
  return { RequestId: ctx.requestId, Files: files };
};

export const deleteFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const uri = reqString(q, 'URI');
  if (!d.remove(uri) && ctx.strictDelete) throw resourceNotFound('file', uri);
  return { RequestId: ctx.requestId };
};

/** Synchronous and idempotent: URIs the dataset does not hold are ignored. */
export const batchDeleteFileMeta: Operation = (q, ctx) => {
  const d = target(q, ctx);
  const uris = stringArray(q, 'URIs', true)!;
  checkBatch('URIs', uris);
  for (const uri of uris) d.remove(uri);
  return { RequestId: ctx.requestId };
};
