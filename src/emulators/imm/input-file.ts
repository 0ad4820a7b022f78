// InputFile (IndexFileMeta.File, BatchIndexFileMeta.Files[], BatchUpdateFileMeta.Files[]): checked at
// request time, so a malformed file fails the whole call with InvalidArgument before anything is accepted.
import { invalidArgument } from './api-error.ts';
import { parseOssUri } from './names.ts';

export interface InputFile {
  URI: string;
  CustomId?: string;
  CustomLabels?: Record<string, unknown>;
  ContentType?: string;
  MediaType?: string;
  FileHash?: string;
  Title?: string;
  ProduceTime?: string;
  LatLong?: string;
}

const MEDIA_TYPES = new Set(['image', 'other', 'document', 'archive', 'video', 'audio']);
const STRING_FIELDS = [
  'CustomId',
  'ContentType',
  'MediaType',
  'FileHash',
  'Title',
  'ProduceTime',
  'LatLong',
] as const;
/** IMM's BatchUpdateFileMeta example message: "Index KV count exceeded, should be no more than 100". */
export const MAX_CUSTOM_LABELS = 100;

export function checkInputFile(raw: unknown, where: string): InputFile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidArgument(`${where} must be a JSON object.`);
  }
  const f = raw as Record<string, unknown>;
  if (typeof f.URI !== 'string' || f.URI === '') throw invalidArgument(`${where}.URI is required.`);
  if (f.URI.startsWith('pds://'))
    throw invalidArgument(`${where}.URI: pds:// URIs are not supported by the emulator.`);
  if (!parseOssUri(f.URI)) {
    throw invalidArgument(`${where}.URI "${f.URI}" is invalid: use oss://\${Bucket}/\${Object}.`);
  }
  const out: InputFile = { URI: f.URI };
  for (const name of STRING_FIELDS) {
    const v = f[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalidArgument(`${where}.${name} must be a string.`);
    out[name] = v;
  }
  if (out.MediaType !== undefined && !MEDIA_TYPES.has(out.MediaType)) {
    throw invalidArgument(
      `${where}.MediaType "${out.MediaType}" is not one of ${[...MEDIA_TYPES].join(', ')}.`,
    );
  }
  if (f.CustomLabels !== undefined && f.CustomLabels !== null) {
    if (typeof f.CustomLabels !== 'object' || Array.isArray(f.CustomLabels)) {
      throw invalidArgument(`${where}.CustomLabels must be a JSON object.`);
    }
    const labels = f.CustomLabels as Record<string, unknown>;
    if (Object.keys(labels).length > MAX_CUSTOM_LABELS) {
      throw invalidArgument(
        `${where}.CustomLabels: Index KV count exceeded, should be no more than ${MAX_CUSTOM_LABELS}.`,
      );
    }
    out.CustomLabels = labels;
  }
  return out;
}

/** MediaType from a MIME type when the request gives none (the real IMM detects it from the content). */
export function mediaTypeOf(contentType: string | undefined): string {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('image/')) return 'image';
  if (ct.startsWith('video/')) return 'video';
  if (ct.startsWith('audio/')) return 'audio';
  if (/zip|x-tar|gzip|x-7z|x-rar|x-bzip/.test(ct)) return 'archive';
  if (/pdf|msword|officedocument|ms-excel|ms-powerpoint|^text\//.test(ct)) return 'document';
  return 'other';
}
