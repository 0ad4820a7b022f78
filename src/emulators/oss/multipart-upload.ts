// In-progress multipart uploads and the pure rules of CompleteMultipartUpload (part order, ETags,
// minimum part size). Uploads live in their bucket's state; they are not persisted (README.md).
import { randomBytes } from 'node:crypto';
import { OssError } from './errors.ts';

export const MIN_PART_SIZE = 100 * 1024;
export const MAX_PART_NUMBER = 10_000;

export interface UploadedPart {
  partNumber: number;
  body: Buffer;
  /** Upper-case MD5 hex, no quotes. */
  etag: string;
  crc64: string;
  lastModifiedMs: number;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiatedMs: number;
  contentType: string;
  meta: Record<string, string>;
  tags: Readonly<Record<string, string>> | undefined;
  parts: Map<number, UploadedPart>;
}

/** 32 upper-case hex characters, the shape of real upload ids (`0004B9894A22E5B1888A1E29F823****`). */
export function newUploadId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

export interface RequestedPart {
  partNumber: number;
  /** As sent: quoted or not. */
  etag: string;
}

/**
 * The parts a CompleteMultipartUpload names, checked the way OSS checks them: ascending part numbers
 * (InvalidPartOrder), each uploaded with that ETag (InvalidPart), every part but the last at least
 * 100 KB (EntityTooSmall).
 */
export function selectParts(upload: MultipartUpload, requested: readonly RequestedPart[]): UploadedPart[] {
  if (requested.length === 0) throw new OssError('MalformedXML');
  const out: UploadedPart[] = [];
  let previous = 0;
  for (const r of requested) {
    if (r.partNumber <= previous) throw new OssError('InvalidPartOrder');
    previous = r.partNumber;
    const part = upload.parts.get(r.partNumber);
    const etag = r.etag.trim().replace(/^"|"$/g, '').toUpperCase();
    if (!part || part.etag !== etag) {
      throw new OssError('InvalidPart', undefined, [
        ['PartNumber', String(r.partNumber)],
        ['ETag', r.etag],
      ]);
    }
    out.push(part);
  }
  for (let i = 0; i < out.length - 1; i++) {
    const p = out[i] as UploadedPart;
    if (p.body.length < MIN_PART_SIZE) {
      throw new OssError('EntityTooSmall', undefined, [
        ['MinSizeAllowed', String(MIN_PART_SIZE)],
        ['ProposedSize', String(p.body.length)],
        ['PartNumber', String(p.partNumber)],
      ]);
    }
  }
  return out;
}

/** `x-oss-complete-all: yes`: every uploaded part in part-number order. */
export function allParts(upload: MultipartUpload): RequestedPart[] {
  return [...upload.parts.values()]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
}
