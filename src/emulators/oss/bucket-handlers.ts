// Bucket-level operations: listings and DeleteMultipleObjects.
import { createHash } from 'node:crypto';
import { MAX_DELETE_KEYS } from './constants.ts';
import { OssError } from './errors.ts';
import { sendXml } from './http-util.ts';
import { listObjectsV1, listObjectsV2 } from './list-objects.ts';
import type { RequestContext } from './request-context.ts';
import { uriEncode } from './uri-encode.ts';
import { XML_DECLARATION, el, parseDeleteXml } from './xml.ts';

export function listV2(ctx: RequestContext): void {
  sendXml(ctx.res, 200, listObjectsV2(ctx.bucket, ctx.store.bucket(ctx.bucket), ctx.query));
}

export function listV1(ctx: RequestContext): void {
  sendXml(ctx.res, 200, listObjectsV1(ctx.bucket, ctx.store.bucket(ctx.bucket), ctx.query));
}

export function deleteMultipleObjects(ctx: RequestContext): void {
  const md5 = ctx.headers['content-md5'];
  if (md5 !== undefined && md5.trim() !== createHash('md5').update(ctx.body).digest('base64')) {
    throw new OssError('InvalidDigest');
  }
  const parsed = parseDeleteXml(ctx.body.toString('utf8'));
  if (!parsed || parsed.keys.length === 0 || parsed.keys.length > MAX_DELETE_KEYS) {
    throw new OssError(
      'MalformedXML',
      parsed && parsed.keys.length > MAX_DELETE_KEYS
        ? `The number of objects to delete must not exceed ${MAX_DELETE_KEYS}.`
        : undefined,
    );
  }
  const encode = ctx.query.get('encoding-type') === 'url';
  const enc = encode ? uriEncode : (s: string) => s;
  const deleted: string[] = [];
  parsed.keys.forEach((key, index) => {
    const removed = ctx.store.remove(ctx.bucket, key);
    deleted.push(key);
    ctx.notify(
      {
        name: 'ObjectRemoved:DeleteObjects',
        key,
        size: 0,
        deltaSize: -(removed?.body.length ?? 0),
        eTag: removed?.etag ?? '',
      },
      index,
    );
  });
  // Quiet mode lists only failures; the emulator never fails a single key.
  const body = parsed.quiet ? '' : deleted.map((k) => `<Deleted>${el('Key', enc(k))}</Deleted>`).join('');
  sendXml(
    ctx.res,
    200,
    `${XML_DECLARATION}<DeleteResult>${encode ? el('EncodingType', 'url') : ''}${body}</DeleteResult>`,
  );
}
