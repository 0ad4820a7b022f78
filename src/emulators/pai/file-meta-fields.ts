// Per-item validation of CreateDatasetFileMetas / UpdateDatasetFileMetas items. An invalid item is not a
// request error: it comes back in FailedDetails with a Result that names the field, and the valid items of
// the same call still succeed (reference §5; HTTP 200 + Status false).
import { isoToMs } from './iso-time.ts';
import { RESULT } from './results.ts';
import { applyTags } from './tags.ts';
import type { PaiFileMetaRecord } from './types.ts';

type Item = Record<string, unknown>;
export type FieldCheck<T> = { ok: T } | { error: string };

const REQUIRED_STRINGS = ['FileFingerPrint', 'FileType', 'ContentType'] as const;
const OPTIONAL_STRINGS = ['FileName', 'Comment', 'SemanticIndexJobId'] as const;
const OPTIONAL_TIMES = ['FileCreateTime', 'SemanticIndexUpdateTime'] as const;
// `s`: object keys may contain newlines.
const URI = /^(oss|nas):\/\/[^/]+\/(.+)$/s;

/** The fields a create or an update may set (everything but id, Uri, FileDir and Status). */
export type FileMetaPatch = Partial<
  Omit<PaiFileMetaRecord, 'DatasetFileMetaId' | 'Uri' | 'FileDir' | 'Status'>
>;

/** 'cars/2025/a.jpg' -> 'cars/2025/'; a key at the bucket root -> ''. */
export function splitUriPath(uri: string): { dir: string; name: string } | undefined {
  const m = URI.exec(uri);
  const path = m?.[2];
  if (path === undefined) return undefined;
  const slash = path.lastIndexOf('/');
  return { dir: path.slice(0, slash + 1), name: path.slice(slash + 1) };
}

function invalid(text: string): { error: string } {
  return { error: `${RESULT.invalidPrefix} ${text}` };
}

/** Checks the optional fields common to create and update; fills `patch`. Returns an error text or undefined. */
function checkOptional(
  item: Item,
  patch: FileMetaPatch,
  storedTags: string | undefined,
  now: string,
): string | undefined {
  for (const f of OPTIONAL_STRINGS) {
    const v = item[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return `${f} must be a string`;
    patch[f] = v;
  }
  for (const f of OPTIONAL_TIMES) {
    const v = item[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || isoToMs(v) === undefined)
      return `${f} must be an ISO 8601 time such as 2025-01-12T14:36:01Z`;
    patch[f] = v;
  }
  const size = item.DataSize;
  if (size !== undefined && size !== null) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      return 'DataSize must be an integer >= 0';
    patch.DataSize = size;
  }
  const attrs = item.MetaAttributes;
  if (attrs !== undefined && attrs !== null) {
    if (typeof attrs !== 'string' || !isJson(attrs)) return 'MetaAttributes must be a JSON string';
    patch.MetaAttributes = attrs;
  }
  const tags = item.Tags;
  if (tags !== undefined && tags !== null) {
    if (typeof tags !== 'string') return 'Tags must be a JSON object string';
    const applied = applyTags(storedTags, tags);
    if ('error' in applied) return applied.error;
    patch.Tags = applied.tags;
    patch.TagUpdateTime = now;
  }
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface CreateFields {
  uri: string;
  dir: string;
  patch: FileMetaPatch;
}

export function checkCreateItem(raw: unknown, now: string): FieldCheck<CreateFields> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid('each DatasetFileMetas item must be an object');
  const item = raw as Item;
  const uri = item.Uri;
  if (uri === undefined || uri === null || uri === '') return invalid('Uri is required');
  if (typeof uri !== 'string') return invalid('Uri must be a string');
  const parts = splitUriPath(uri);
  if (!parts) return invalid('Uri must look like oss://bucket/path/to/object');
  const patch: FileMetaPatch = {};
  for (const f of REQUIRED_STRINGS) {
    const v = item[f];
    if (v === undefined || v === null || v === '') return invalid(`${f} is required`);
    if (typeof v !== 'string') return invalid(`${f} must be a string`);
    patch[f] = v;
  }
  const updated = item.FileUpdateTime;
  if (updated === undefined || updated === null || updated === '')
    return invalid('FileUpdateTime is required');
  if (typeof updated !== 'string' || isoToMs(updated) === undefined) {
    return invalid('FileUpdateTime must be an ISO 8601 time such as 2025-01-12T14:36:01Z');
  }
  patch.FileUpdateTime = updated;
  const problem = checkOptional(item, patch, undefined, now);
  if (problem) return invalid(problem);
  // SyncTime is doc-only (not in the SDK models); honoured when sent, else the time of the call.
  const sync = item.SyncTime;
  patch.SyncTime = typeof sync === 'string' && isoToMs(sync) !== undefined ? sync : now;
  if (patch.FileName === undefined && parts.name !== '') patch.FileName = parts.name;
  return { ok: { uri, dir: parts.dir, patch } };
}

export interface UpdateFields {
  id: string;
  patch: FileMetaPatch;
}

/** `storedTagsOf` reads the current Tags of the target so add/remove edits apply to them. */
export function checkUpdateItem(
  raw: unknown,
  now: string,
  storedTagsOf: (id: string) => string | undefined,
): FieldCheck<UpdateFields> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid('each DatasetFileMetas item must be an object');
  const item = raw as Item;
  const id = item.DatasetFileMetaId;
  if (typeof id !== 'string' || id === '') return invalid('DatasetFileMetaId is required');
  const patch: FileMetaPatch = {};
  for (const f of REQUIRED_STRINGS) {
    const v = item[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v === '') return invalid(`${f} must be a non-empty string`);
    patch[f] = v;
  }
  const updated = item.FileUpdateTime;
  if (updated !== undefined && updated !== null) {
    if (typeof updated !== 'string' || isoToMs(updated) === undefined) {
      return invalid('FileUpdateTime must be an ISO 8601 time such as 2025-01-12T14:36:01Z');
    }
    patch.FileUpdateTime = updated;
  }
  const problem = checkOptional(item, patch, storedTagsOf(id), now);
  if (problem) return invalid(problem);
  return { ok: { id, patch } };
}
