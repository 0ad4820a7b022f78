// The in-memory record of one object and the pure functions that derive its ETag/CRC, shared by the
// store, the persistence layer and the HTTP handlers.
import { createHash } from 'node:crypto';
import { crc64 } from './crc64.ts';
import type { OssObjectInfo, OssObjectType } from './types.ts';

export interface ObjectRecord {
  key: string;
  body: Buffer;
  /** Upper-case hex, no quotes; multipart: "HEX-N". */
  etag: string;
  /** Whole seconds: OSS listings show `.000Z` and Last-Modified has second precision. */
  lastModifiedMs: number;
  type: OssObjectType;
  contentType: string;
  crc64: string;
  meta: Record<string, string>;
  /** Object tags (PutObjectTagging, `x-oss-tagging`); absent when the object has none. */
  tags?: Readonly<Record<string, string>>;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export function toBuffer(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

export function md5Hex(body: Buffer): string {
  return createHash('md5').update(body).digest('hex').toUpperCase();
}

/** S3's multipart formula, which real OSS ETags ("HEX-N") match in form: MD5(concat(MD5(part))) + "-" + N. */
export function multipartEtag(parts: readonly Buffer[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(createHash('md5').update(p).digest());
  return `${h.digest('hex').toUpperCase()}-${parts.length}`;
}

/** Appendable ETags are not the content MD5 on OSS; we chain the previous ETag with the new bytes' MD5. */
export function appendEtag(previous: string | undefined, appended: Buffer): string {
  return md5Hex(Buffer.from(`${previous ?? ''}:${md5Hex(appended)}`, 'utf8'));
}

export function truncateToSecond(d: Date | undefined): number {
  const ms = d ? d.getTime() : Date.now();
  return Math.floor(ms / 1000) * 1000;
}

export function normalRecord(
  key: string,
  body: Buffer,
  opts: {
    contentType?: string;
    meta?: Record<string, string>;
    lastModified?: Date;
    tags?: Readonly<Record<string, string>>;
  },
): ObjectRecord {
  return {
    ...(opts.tags && Object.keys(opts.tags).length > 0 ? { tags: opts.tags } : {}),
    key,
    body,
    etag: md5Hex(body),
    lastModifiedMs: truncateToSecond(opts.lastModified),
    type: 'Normal',
    contentType: opts.contentType || DEFAULT_CONTENT_TYPE,
    crc64: crc64(body),
    meta: { ...(opts.meta ?? {}) },
  };
}

export function toInfo(r: ObjectRecord): OssObjectInfo {
  return {
    key: r.key,
    size: r.body.length,
    etag: `"${r.etag}"`,
    lastModified: new Date(r.lastModifiedMs),
    type: r.type,
    contentType: r.contentType,
    crc64: r.crc64,
    meta: { ...r.meta },
    storageClass: 'Standard',
  };
}
