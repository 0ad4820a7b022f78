// Object tagging: the limits OSS documents (at most 10 tags, key 1..128 and value 0..256
// characters, unique keys) as pure parsers for the XML body and the `x-oss-tagging` header, and the
// Put/Get/DeleteObjectTagging handlers. Tags change neither the ETag nor Last-Modified.
import { OssError } from './errors.ts';
import { sendXml } from './http-util.ts';
import type { ObjectRecord } from './object-record.ts';
import type { RequestContext } from './request-context.ts';
import { XML_DECLARATION, el, elements, xmlUnescape } from './xml.ts';

export const MAX_TAGS = 10;

export type Tags = Readonly<Record<string, string>>;

function checkTags(pairs: ReadonlyArray<readonly [string, string]>): Tags {
  if (pairs.length > MAX_TAGS)
    throw new OssError('BadRequest', `Object tags cannot be greater than ${MAX_TAGS}`);
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) {
    if (k.length < 1 || k.length > 128)
      throw new OssError('InvalidTag', 'The TagKey you have provided is invalid');
    if (v.length > 256) throw new OssError('InvalidTag', 'The TagValue you have provided is invalid');
    if (Object.hasOwn(out, k))
      throw new OssError('InvalidTag', 'Cannot provide multiple Tags with the same key');
    out[k] = v;
  }
  return out;
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>`. */
export function parseTaggingXml(body: string): Tags {
  if (!/<Tagging(?:\s[^>]*)?>[\s\S]*<\/Tagging>/.test(body)) throw new OssError('MalformedXML');
  const pairs: Array<[string, string]> = [];
  for (const tag of elements(body, 'Tag')) {
    const rawKey = elements(tag, 'Key')[0];
    const key = rawKey === undefined ? undefined : xmlUnescape(rawKey);
    const value = xmlUnescape(elements(tag, 'Value')[0] ?? '');
    if (key === undefined || value === undefined) throw new OssError('MalformedXML');
    pairs.push([key, value]);
  }
  return checkTags(pairs);
}

/** `x-oss-tagging: a=1&b=2` (URL query encoding), on PutObject, InitiateMultipartUpload and CopyObject. */
export function parseTaggingHeader(raw: string | undefined): Tags | undefined {
  if (raw === undefined) return undefined;
  return checkTags([...new URLSearchParams(raw)]);
}

export function taggingXml(tags: Tags | undefined): string {
  const set = Object.entries(tags ?? {})
    .map(([k, v]) => `<Tag>${el('Key', k)}${el('Value', v)}</Tag>`)
    .join('');
  return `${XML_DECLARATION}<Tagging><TagSet>${set}</TagSet></Tagging>`;
}

function target(ctx: RequestContext): ObjectRecord {
  const r = ctx.store.record(ctx.bucket, ctx.key);
  if (!r) throw new OssError('NoSuchKey', undefined, [['Key', ctx.key]]);
  return r;
}

function withTags(r: ObjectRecord, tags: Tags): ObjectRecord {
  const { tags: _old, ...rest } = r;
  return Object.keys(tags).length > 0 ? { ...rest, tags } : rest;
}

export function putObjectTagging(ctx: RequestContext): void {
  const r = target(ctx);
  ctx.store.save(ctx.bucket, withTags(r, parseTaggingXml(ctx.body.toString('utf8'))));
  ctx.res.writeHead(200, { 'Content-Length': '0' });
  ctx.res.end();
}

export function getObjectTagging(ctx: RequestContext): void {
  sendXml(ctx.res, 200, taggingXml(target(ctx).tags));
}

export function deleteObjectTagging(ctx: RequestContext): void {
  const r = target(ctx);
  ctx.store.save(ctx.bucket, withTags(r, {}));
  ctx.res.writeHead(204);
  ctx.res.end();
}
