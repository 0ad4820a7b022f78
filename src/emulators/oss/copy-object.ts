// CopyObject: PUT /dest with `x-oss-copy-source: /<bucket>/<url-encoded key>`. The copy keeps the
// source's body, ETag, CRC-64 and object type; `x-oss-metadata-directive` (COPY | REPLACE) decides
// whether Content-Type and x-oss-meta-* come from the source or from this request, and
// `x-oss-tagging-directive` (Copy | Replace) does the same for tags. Copy-source conditions answer
// 412 (if-match, if-unmodified-since) or 304 (if-none-match, if-modified-since) as OSS does.
import { OssError } from './errors.ts';
import { objectCreatedEvent } from './event-payload.ts';
import { sendXml } from './http-util.ts';
import { DEFAULT_CONTENT_TYPE, type ObjectRecord, truncateToSecond } from './object-record.ts';
import { userMeta, validateKey } from './object-handlers.ts';
import type { RequestContext } from './request-context.ts';
import { parseTaggingHeader } from './tagging.ts';
import { XML_DECLARATION, el } from './xml.ts';

export interface CopySource {
  bucket: string;
  key: string;
}

/** Parses `/bucket/key` (key percent-encoded; a `?versionId=` suffix is ignored: no versioning). */
export function parseCopySource(raw: string): CopySource {
  const path = raw.split('?')[0] ?? '';
  const m = /^\/?([^/]+)\/(.+)$/.exec(path);
  const bad = () =>
    new OssError(
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
      [
        ['ArgumentName', 'x-oss-copy-source'],
        ['ArgumentValue', raw],
      ],
    );
  if (!m) throw bad();
  try {
    return { bucket: decodeURIComponent(m[1] as string), key: decodeURIComponent(m[2] as string) };
  } catch {
    throw bad();
  }
}

function directive(raw: string | undefined, name: string, allowed: readonly string[]): string {
  if (raw === undefined || raw === '') return allowed[0] as string;
  const hit = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!hit) {
    throw new OssError('InvalidArgument', `${name} must be ${allowed.join(' or ')}.`, [
      ['ArgumentName', name],
      ['ArgumentValue', raw],
    ]);
  }
  return hit;
}

/** True when the copy is answered 304 (not modified); throws PreconditionFailed for 412. */
function sourceNotModified(h: Readonly<Record<string, string>>, src: ObjectRecord): boolean {
  const etag = `"${src.etag}"`;
  const matches = (list: string) =>
    list.split(',').some((t) => t.trim() === '*' || t.trim() === etag || t.trim() === src.etag);
  const ifMatch = h['x-oss-copy-source-if-match'];
  if (ifMatch !== undefined && !matches(ifMatch)) throw new OssError('PreconditionFailed');
  const ius = Date.parse(h['x-oss-copy-source-if-unmodified-since'] ?? '');
  if (!Number.isNaN(ius) && src.lastModifiedMs > ius) throw new OssError('PreconditionFailed');
  const ifNone = h['x-oss-copy-source-if-none-match'];
  if (ifNone !== undefined && matches(ifNone)) return true;
  const ims = Date.parse(h['x-oss-copy-source-if-modified-since'] ?? '');
  return !Number.isNaN(ims) && src.lastModifiedMs <= ims;
}

export function copyObject(ctx: RequestContext): void {
  validateKey(ctx.key);
  const source = parseCopySource(ctx.headers['x-oss-copy-source'] ?? '');
  const metaDirective = directive(ctx.headers['x-oss-metadata-directive'], 'x-oss-metadata-directive', [
    'COPY',
    'REPLACE',
  ]);
  const tagDirective = directive(ctx.headers['x-oss-tagging-directive'], 'x-oss-tagging-directive', [
    'Copy',
    'Replace',
  ]);
  const src = ctx.store.record(source.bucket, source.key);
  if (!src) throw new OssError('NoSuchKey', undefined, [['Key', source.key]]);
  if (sourceNotModified(ctx.headers, src)) {
    ctx.res.writeHead(304, { ETag: `"${src.etag}"` });
    ctx.res.end();
    return;
  }
  const replaceMeta = metaDirective === 'REPLACE';
  const tags = tagDirective === 'Replace' ? parseTaggingHeader(ctx.headers['x-oss-tagging']) : src.tags;
  const previous = ctx.store.record(ctx.bucket, ctx.key);
  const r = ctx.store.save(ctx.bucket, {
    key: ctx.key,
    body: src.body,
    etag: src.etag,
    lastModifiedMs: truncateToSecond(undefined),
    type: src.type,
    contentType: replaceMeta ? ctx.headers['content-type'] || DEFAULT_CONTENT_TYPE : src.contentType,
    crc64: src.crc64,
    meta: replaceMeta ? userMeta(ctx.headers) : { ...src.meta },
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
  });
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<CopyObjectResult>${el('ETag', `"${r.etag}"`)}${el(
      'LastModified',
      new Date(r.lastModifiedMs).toISOString(),
    )}</CopyObjectResult>`,
    { ETag: `"${r.etag}"`, 'x-oss-hash-crc64ecma': r.crc64 },
  );
  ctx.notify(objectCreatedEvent('ObjectCreated:CopyObject', r, previous));
}
