// Maps a request to an OSS operation name (the stats key) and its handler. Table of the supported
// surface; anything else is answered NotImplemented rather than guessed at.
import type { Address } from './addressing.ts';
import { deleteMultipleObjects, listV1, listV2 } from './bucket-handlers.ts';
import { OssError } from './errors.ts';
import { appendObject, deleteObject, getObject, headObject, putObject } from './object-handlers.ts';
import type { RequestContext } from './request-context.ts';
import { isSubResource } from './signature-v1.ts';

export interface Operation {
  name: string;
  handler: (ctx: RequestContext) => void;
  /** Whether the request body must be read before the handler runs. */
  readsBody: boolean;
}

const notImplemented = (name: string): Operation => ({
  name,
  readsBody: false,
  handler: () => {
    throw new OssError('NotImplemented', `${name} is not implemented by the emulator.`);
  },
});

// Sub-resources that do not change which operation a GET/HEAD object request is.
const READ_MODIFIERS = new Set(['versionId', 'x-oss-process', 'objectMeta']);

export function classify(method: string, address: Address, query: ReadonlyMap<string, string>): Operation {
  // continuation-token is signed like a sub-resource (V1) but only pages a listing.
  const subs = [...query.keys()].filter(
    (k) => isSubResource(k) && !k.startsWith('response-') && k !== 'continuation-token',
  );
  if (address.bucket === undefined) return notImplemented('ListBuckets');
  if (address.key === '') {
    if (method === 'GET' && subs.length === 0) {
      return query.get('list-type') === '2'
        ? { name: 'ListObjectsV2', handler: listV2, readsBody: false }
        : { name: 'ListObjects', handler: listV1, readsBody: false };
    }
    if (method === 'POST' && query.has('delete')) {
      return { name: 'DeleteMultipleObjects', handler: deleteMultipleObjects, readsBody: true };
    }
    // PUT with an empty key is PutObject with an invalid name, not PutBucket (buckets come from the admin API).
    if (method === 'PUT' && subs.length === 0)
      return { name: 'PutObject', handler: putObject, readsBody: true };
    return notImplemented(`${method}Bucket${subs.length > 0 ? `?${subs.join('&')}` : ''}`);
  }
  const otherSubs = subs.filter((s) => !READ_MODIFIERS.has(s));
  switch (method) {
    case 'HEAD':
      if (otherSubs.length > 0) break;
      return {
        name: query.has('objectMeta') ? 'GetObjectMeta' : 'HeadObject',
        handler: headObject,
        readsBody: false,
      };
    case 'GET':
      if (otherSubs.length > 0) break;
      return { name: 'GetObject', handler: getObject, readsBody: false };
    case 'PUT':
      if (subs.length > 0) break;
      return { name: 'PutObject', handler: putObject, readsBody: true };
    case 'POST':
      if (query.has('append')) return { name: 'AppendObject', handler: appendObject, readsBody: true };
      break;
    case 'DELETE':
      if (subs.length > 0) break;
      return { name: 'DeleteObject', handler: deleteObject, readsBody: false };
  }
  return notImplemented(`${method}Object${subs.length > 0 ? `?${subs.join('&')}` : ''}`);
}
