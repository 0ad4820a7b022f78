// Multipart upload over HTTP: InitiateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload, ListParts and ListMultipartUploads, with OSS's XML bodies and error codes.
// The completed object has Type Multipart and the "HEX-N" ETag (object-record.ts, multipartEtag).
import { crc64 } from './crc64.ts';
import { OssError } from './errors.ts';
import { objectCreatedEvent } from './event-payload.ts';
import { sendXml } from './http-util.ts';
import {
  type MultipartUpload,
  MAX_PART_NUMBER,
  type RequestedPart,
  allParts,
  newUploadId,
  selectParts,
} from './multipart-upload.ts';
import { DEFAULT_CONTENT_TYPE, md5Hex, multipartEtag, truncateToSecond } from './object-record.ts';
import { parseCopySource } from './copy-object.ts';
import { checkContentMd5, userMeta, validateKey } from './object-handlers.ts';
import type { RequestContext } from './request-context.ts';
import { parseTaggingHeader } from './tagging.ts';
import { uriEncode } from './uri-encode.ts';
import { XML_DECLARATION, el, elements, textOf } from './xml.ts';

function encoder(ctx: RequestContext): { enc: (s: string) => string; tag: string } {
  const url = ctx.query.get('encoding-type') === 'url';
  return { enc: url ? uriEncode : (s) => s, tag: url ? el('EncodingType', 'url') : '' };
}

function upload(ctx: RequestContext): MultipartUpload {
  const id = ctx.query.get('uploadId') ?? '';
  const u = ctx.store.bucket(ctx.bucket).uploads.get(id);
  if (!u || u.key !== ctx.key) throw new OssError('NoSuchUpload', undefined, [['UploadId', id]]);
  return u;
}

function intArg(ctx: RequestContext, name: string, min: number, max: number, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw new OssError('InvalidArgument', `Argument ${name} must be an integer between ${min} and ${max}.`, [
      ['ArgumentName', name],
      ['ArgumentValue', raw],
    ]);
  }
  return n;
}

export function initiateMultipartUpload(ctx: RequestContext): void {
  validateKey(ctx.key);
  const u: MultipartUpload = {
    uploadId: newUploadId(),
    key: ctx.key,
    initiatedMs: Date.now(),
    contentType: ctx.headers['content-type'] || DEFAULT_CONTENT_TYPE,
    meta: userMeta(ctx.headers),
    tags: parseTaggingHeader(ctx.headers['x-oss-tagging']),
    parts: new Map(),
  };
  ctx.store.bucket(ctx.bucket).uploads.set(u.uploadId, u);
  const { enc, tag } = encoder(ctx);
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<InitiateMultipartUploadResult>${tag}${el('Bucket', ctx.bucket)}${el(
      'Key',
      enc(ctx.key),
    )}${el('UploadId', u.uploadId)}</InitiateMultipartUploadResult>`,
  );
}

function partNumberOf(ctx: RequestContext): number {
  const raw = ctx.query.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) {
    throw new OssError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.', [
      ['ArgumentName', 'partNumber'],
      ['ArgumentValue', raw],
    ]);
  }
  return n;
}

/**
 * UploadPartCopy: UploadPart with `x-oss-copy-source` (and optionally `x-oss-copy-source-range:
 * bytes=a-b`, inclusive): the part is that range of the source object. A range outside the source
 * answers `416 InvalidRange`. Answers `<CopyPartResult>` with the part's MD5 ETag.
 */
export function uploadPartCopy(ctx: RequestContext): void {
  const partNumber = partNumberOf(ctx);
  const u = upload(ctx);
  const source = parseCopySource(ctx.headers['x-oss-copy-source'] ?? '');
  const src = ctx.store.record(source.bucket, source.key);
  if (!src) throw new OssError('NoSuchKey', undefined, [['Key', source.key]]);
  let body = src.body;
  const rawRange = ctx.headers['x-oss-copy-source-range'];
  if (rawRange !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rawRange.trim());
    const start = m ? Number(m[1]) : NaN;
    const end = m ? Number(m[2]) : NaN;
    if (!(start <= end && end < src.body.length)) throw new OssError('InvalidRange');
    body = src.body.subarray(start, end + 1);
  }
  const part = {
    partNumber,
    body,
    etag: md5Hex(body),
    crc64: crc64(body),
    lastModifiedMs: truncateToSecond(undefined),
  };
  u.parts.set(partNumber, part);
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<CopyPartResult>${el('LastModified', new Date(part.lastModifiedMs).toISOString())}${el(
      'ETag',
      `"${part.etag}"`,
    )}</CopyPartResult>`,
    { ETag: `"${part.etag}"`, 'x-oss-hash-crc64ecma': part.crc64 },
  );
}

export function uploadPart(ctx: RequestContext): void {
  const partNumber = partNumberOf(ctx);
  const u = upload(ctx);
  checkContentMd5(ctx);
  const part = {
    partNumber,
    body: ctx.body,
    etag: md5Hex(ctx.body),
    crc64: crc64(ctx.body),
    lastModifiedMs: truncateToSecond(undefined),
  };
  u.parts.set(partNumber, part);
  ctx.res.writeHead(200, {
    ETag: `"${part.etag}"`,
    'x-oss-hash-crc64ecma': part.crc64,
    'Content-MD5': Buffer.from(part.etag, 'hex').toString('base64'),
    'Content-Length': '0',
  });
  ctx.res.end();
}

/** The `<Part>` list of a CompleteMultipartUpload body; MalformedXML when it cannot be read. */
export function parseCompleteXml(body: string): RequestedPart[] {
  if (!/<CompleteMultipartUpload(?:\s[^>]*)?>[\s\S]*<\/CompleteMultipartUpload>/.test(body)) {
    throw new OssError('MalformedXML');
  }
  return elements(body, 'Part').map((p) => {
    const num = textOf(p, 'PartNumber')?.trim() ?? '';
    const etag = textOf(p, 'ETag');
    if (!/^\d{1,5}$/.test(num) || etag === undefined) throw new OssError('MalformedXML');
    return { partNumber: Number(num), etag };
  });
}

export function completeMultipartUpload(ctx: RequestContext): void {
  const u = upload(ctx);
  const completeAll = (ctx.headers['x-oss-complete-all'] ?? '').toLowerCase() === 'yes';
  if (completeAll && ctx.body.length > 0) {
    throw new OssError('InvalidArgument', 'Should not specify both complete all header and http body.', [
      ['ArgumentName', 'x-oss-complete-all'],
      ['ArgumentValue', 'yes'],
    ]);
  }
  const requested = completeAll ? allParts(u) : parseCompleteXml(ctx.body.toString('utf8'));
  const parts = selectParts(u, requested);
  const bodies = parts.map((p) => p.body);
  const body = Buffer.concat(bodies);
  const previous = ctx.store.record(ctx.bucket, ctx.key);
  const r = ctx.store.save(ctx.bucket, {
    key: u.key,
    body,
    etag: multipartEtag(bodies),
    lastModifiedMs: truncateToSecond(undefined),
    type: 'Multipart',
    contentType: u.contentType,
    crc64: crc64(body),
    meta: u.meta,
    ...(u.tags && Object.keys(u.tags).length > 0 ? { tags: u.tags } : {}),
  });
  ctx.store.bucket(ctx.bucket).uploads.delete(u.uploadId);
  const { enc, tag } = encoder(ctx);
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<CompleteMultipartUploadResult>${tag}` +
      el(
        'Location',
        `http://${ctx.bucket}.oss-${ctx.region}.aliyuncs.com/${uriEncode(u.key).replace(/%2F/g, '/')}`,
      ) +
      el('Bucket', ctx.bucket) +
      el('Key', enc(u.key)) +
      el('ETag', `"${r.etag}"`) +
      '</CompleteMultipartUploadResult>',
    { ETag: `"${r.etag}"`, 'x-oss-hash-crc64ecma': r.crc64 },
  );
  ctx.notify(objectCreatedEvent('ObjectCreated:CompleteMultipartUpload', r, previous));
}

export function abortMultipartUpload(ctx: RequestContext): void {
  const u = upload(ctx);
  ctx.store.bucket(ctx.bucket).uploads.delete(u.uploadId);
  ctx.res.writeHead(204);
  ctx.res.end();
}

export function listParts(ctx: RequestContext): void {
  const u = upload(ctx);
  const max = intArg(ctx, 'max-parts', 1, 1000, 1000);
  const marker = intArg(ctx, 'part-number-marker', 0, MAX_PART_NUMBER, 0);
  const all = [...u.parts.values()]
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  const { enc, tag } = encoder(ctx);
  const partsXml = page
    .map(
      (p) =>
        '<Part>' +
        el('PartNumber', p.partNumber) +
        el('LastModified', new Date(p.lastModifiedMs).toISOString()) +
        el('ETag', `"${p.etag}"`) +
        el('HashCrc64ecma', p.crc64) +
        el('Size', p.body.length) +
        '</Part>',
    )
    .join('');
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<ListPartsResult>${tag}` +
      el('Bucket', ctx.bucket) +
      el('Key', enc(u.key)) +
      el('UploadId', u.uploadId) +
      el('PartNumberMarker', marker) +
      el('NextPartNumberMarker', last ? last.partNumber : marker) +
      el('MaxParts', max) +
      el('IsTruncated', truncated) +
      partsXml +
      '</ListPartsResult>',
  );
}

/** GET /?uploads: prefix, key-marker, upload-id-marker, max-uploads (no delimiter grouping). */
export function listMultipartUploads(ctx: RequestContext): void {
  const prefix = ctx.query.get('prefix') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const idMarker = ctx.query.get('upload-id-marker') ?? '';
  const max = intArg(ctx, 'max-uploads', 1, 1000, 1000);
  const after = (u: MultipartUpload) =>
    keyMarker === '' ||
    u.key > keyMarker ||
    (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker);
  const all = [...ctx.store.bucket(ctx.bucket).uploads.values()]
    .filter((u) => u.key.startsWith(prefix) && after(u))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.uploadId < b.uploadId ? -1 : 1));
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  const { enc, tag } = encoder(ctx);
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<ListMultipartUploadsResult>${tag}` +
      el('Bucket', ctx.bucket) +
      el('KeyMarker', enc(keyMarker)) +
      el('UploadIdMarker', idMarker) +
      el('NextKeyMarker', enc(truncated && last ? last.key : '')) +
      el('NextUploadIdMarker', truncated && last ? last.uploadId : '') +
      el('Delimiter', '') +
      el('Prefix', enc(prefix)) +
      el('MaxUploads', max) +
      el('IsTruncated', truncated) +
      page
        .map(
          (u) =>
            `<Upload>${el('Key', enc(u.key))}${el('UploadId', u.uploadId)}${el(
              'Initiated',
              new Date(u.initiatedMs).toISOString(),
            )}</Upload>`,
        )
        .join('') +
      '</ListMultipartUploadsResult>',
  );
}
