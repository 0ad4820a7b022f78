// Object operations: HeadObject/GetObjectMeta, GetObject, PutObject, AppendObject, DeleteObject.
import { createHash } from 'node:crypto';
import { MAX_KEY_BYTES } from './constants.ts';
import { OssError } from './errors.ts';
import { objectCreatedEvent } from './event-payload.ts';
import { toHeaderBytes } from './http-util.ts';
import { type ObjectRecord, normalRecord } from './object-record.ts';
import { resolveRange } from './range.ts';
import type { RequestContext } from './request-context.ts';
import { parseTaggingHeader } from './tagging.ts';
import { utf8Length } from './utf8-order.ts';

/** Key rules of PutObject: 1..1023 UTF-8 bytes, no leading `/` or `\`. */
export function validateKey(key: string): void {
  if (key === '') throw new OssError('InvalidObjectName', 'The object name must not be empty.');
  if (utf8Length(key) > MAX_KEY_BYTES) {
    throw new OssError('InvalidObjectName', 'KeyTooLong: the object name must be at most 1023 bytes.');
  }
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw new OssError('InvalidObjectName', 'The object name must not start with "/" or "\\".');
  }
}

export function objectHeaders(r: ObjectRecord): Record<string, string> {
  const h: Record<string, string> = {
    ETag: `"${r.etag}"`,
    'Last-Modified': new Date(r.lastModifiedMs).toUTCString(),
    'Content-Type': r.contentType,
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': r.type,
    'x-oss-storage-class': 'Standard',
    'x-oss-hash-crc64ecma': r.crc64,
    'x-oss-server-time': '0',
  };
  // Content-MD5 only where the ETag is the content MD5 (PutObject uploads), as seen on OSS.
  if (r.type === 'Normal') h['Content-MD5'] = Buffer.from(r.etag, 'hex').toString('base64');
  if (r.type === 'Appendable') h['x-oss-next-append-position'] = String(r.body.length);
  if (r.tags) h['x-oss-tagging-count'] = String(Object.keys(r.tags).length);
  for (const [k, v] of Object.entries(r.meta)) h[`x-oss-meta-${k}`] = toHeaderBytes(v);
  return h;
}

function existing(ctx: RequestContext): ObjectRecord {
  validateKey(ctx.key);
  const r = ctx.store.record(ctx.bucket, ctx.key);
  if (!r) throw new OssError('NoSuchKey', undefined, [['Key', ctx.key]]);
  return r;
}

/** If-Match / If-None-Match / If-(Un)Modified-Since: 304 (returns true, answered) or 412. */
function preconditions(ctx: RequestContext, r: ObjectRecord): boolean {
  const h = ctx.headers;
  const etag = `"${r.etag}"`;
  const matches = (list: string) =>
    list.split(',').some((t) => t.trim() === '*' || t.trim() === etag || t.trim() === r.etag);
  const lastModified = r.lastModifiedMs;
  if (h['if-match'] !== undefined && !matches(h['if-match'])) throw new OssError('PreconditionFailed');
  const ius = h['if-unmodified-since'] !== undefined ? Date.parse(h['if-unmodified-since']) : NaN;
  if (!Number.isNaN(ius) && lastModified > ius) throw new OssError('PreconditionFailed');
  let notModified = false;
  if (h['if-none-match'] !== undefined) notModified = matches(h['if-none-match']);
  else {
    const ims = h['if-modified-since'] !== undefined ? Date.parse(h['if-modified-since']) : NaN;
    notModified = !Number.isNaN(ims) && lastModified <= ims;
  }
  if (notModified) {
    ctx.res.writeHead(304, { ETag: etag, 'Last-Modified': new Date(lastModified).toUTCString() });
    ctx.res.end();
  }
  return notModified;
}

export function headObject(ctx: RequestContext): void {
  const r = existing(ctx);
  if (preconditions(ctx, r)) return;
  ctx.res.writeHead(200, { ...objectHeaders(r), 'Content-Length': String(r.body.length) });
  ctx.res.end();
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

export function getObject(ctx: RequestContext): void {
  const r = existing(ctx);
  if (preconditions(ctx, r)) return;
  const size = r.body.length;
  const standard = (ctx.headers['x-oss-range-behavior'] ?? '').toLowerCase() === 'standard';
  const range = resolveRange(ctx.headers['range'], size, standard);
  const headers = objectHeaders(r);
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = ctx.query.get(param);
    if (v !== undefined) headers[header] = toHeaderBytes(v);
  }
  let body = r.body;
  let status = 200;
  if (range.partial) {
    status = 206;
    body = r.body.subarray(range.start, range.end + 1);
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  }
  headers['Content-Length'] = String(body.length);
  ctx.res.writeHead(status, headers);
  if (ctx.shouldStallBody()) {
    // Half the body (at least one byte when there is one), then silence until the emulator closes.
    ctx.res.flushHeaders();
    ctx.res.write(body.subarray(0, Math.max(Math.min(1, body.length), Math.floor(body.length / 2))));
    return;
  }
  ctx.res.end(body);
}

export function checkContentMd5(ctx: RequestContext): void {
  const given = ctx.headers['content-md5'];
  if (given === undefined) return;
  const actual = createHash('md5').update(ctx.body).digest('base64');
  if (given.trim() !== actual) {
    throw new OssError('InvalidDigest', undefined, [
      ['CalculatedDigest', actual],
      ['ProvidedDigest', given],
    ]);
  }
}

export function userMeta(headers: Readonly<Record<string, string>>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) meta[name.slice('x-oss-meta-'.length)] = value;
  }
  return meta;
}

export function putObject(ctx: RequestContext): void {
  validateKey(ctx.key);
  checkContentMd5(ctx);
  const previous = ctx.store.record(ctx.bucket, ctx.key);
  const r = ctx.store.save(
    ctx.bucket,
    normalRecord(ctx.key, ctx.body, {
      contentType: ctx.headers['content-type'],
      meta: userMeta(ctx.headers),
      tags: parseTaggingHeader(ctx.headers['x-oss-tagging']),
    }),
  );
  ctx.res.writeHead(200, {
    ETag: `"${r.etag}"`,
    'x-oss-hash-crc64ecma': r.crc64,
    'Content-MD5': Buffer.from(r.etag, 'hex').toString('base64'),
    'Content-Length': '0',
  });
  ctx.res.end();
  ctx.notify(objectCreatedEvent('ObjectCreated:PutObject', r, previous));
}

export function appendObject(ctx: RequestContext): void {
  validateKey(ctx.key);
  checkContentMd5(ctx);
  const rawPosition = ctx.query.get('position') ?? '';
  if (!/^\d+$/.test(rawPosition)) {
    throw new OssError('InvalidArgument', 'position must be a non-negative integer.', [
      ['ArgumentName', 'position'],
      ['ArgumentValue', rawPosition],
    ]);
  }
  const position = Number(rawPosition);
  const previous = ctx.store.record(ctx.bucket, ctx.key);
  if (previous && previous.type !== 'Appendable') throw new OssError('ObjectNotAppendable');
  const length = previous?.body.length ?? 0;
  if (position !== length) {
    ctx.res.setHeader('x-oss-next-append-position', String(length));
    throw new OssError('PositionNotEqualToLength');
  }
  const r = ctx.store.appendRecord(ctx.bucket, ctx.key, ctx.body, {
    contentType: ctx.headers['content-type'],
    meta: userMeta(ctx.headers),
  });
  ctx.res.writeHead(200, {
    ETag: `"${r.etag}"`,
    'x-oss-next-append-position': String(r.body.length),
    'x-oss-hash-crc64ecma': r.crc64,
    'Content-Length': '0',
  });
  ctx.res.end();
  ctx.notify({
    name: 'ObjectCreated:AppendObject',
    key: r.key,
    size: r.body.length,
    deltaSize: ctx.body.length,
    eTag: r.etag,
    mimeType: r.contentType,
    userMeta: r.meta,
    position,
  });
}

export function deleteObject(ctx: RequestContext): void {
  validateKey(ctx.key);
  const removed = ctx.store.remove(ctx.bucket, ctx.key);
  ctx.res.writeHead(204);
  ctx.res.end();
  // OSS answers 204 for a missing key too; we notify either way (the request did happen).
  ctx.notify({
    name: 'ObjectRemoved:DeleteObject',
    key: ctx.key,
    size: 0,
    deltaSize: -(removed?.body.length ?? 0),
    eTag: removed?.etag ?? '',
  });
}
