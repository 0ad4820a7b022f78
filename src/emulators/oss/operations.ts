// Maps a request to an OSS operation name (the stats key) and its handler. Table of the supported
// surface; anything else is answered NotImplemented rather than guessed at.
import type { Address } from './addressing.ts';
import { deleteBucket, getBucketInfo, listBuckets, putBucket } from './bucket-lifecycle-handlers.ts';
import { deleteMultipleObjects, listV1, listV2 } from './bucket-handlers.ts';
import { copyObject } from './copy-object.ts';
import { OssError } from './errors.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './multipart-handlers.ts';
import { appendObject, deleteObject, getObject, headObject, putObject } from './object-handlers.ts';
import { PRESIGN_QUERY_PARAMS } from './presigned.ts';
import type { RequestContext } from './request-context.ts';
import { isSubResource } from './signature-v1.ts';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './tagging.ts';

/**
 * Which bucket the handler needs: none (ListBuckets), one that may not exist yet (PutBucket), or an
 * existing one (everything else: NoSuchBucket is answered before the handler runs).
 */
export type BucketScope = 'service' | 'create' | 'existing';

export interface Operation {
  name: string;
  handler: (ctx: RequestContext) => void;
  /** Whether the request body must be read before the handler runs. */
  readsBody: boolean;
  scope: BucketScope;
}

const notImplemented = (name: string): Operation => ({
  name,
  readsBody: false,
  scope: 'existing',
  handler: () => {
    throw new OssError('NotImplemented', `${name} is not implemented by the emulator.`);
  },
});

const op = (
  name: string,
  handler: Operation['handler'],
  readsBody = false,
  scope: BucketScope = 'existing',
): Operation => ({ name, handler, readsBody, scope });

// Sub-resources that do not change which operation a GET/HEAD object request is.
const READ_MODIFIERS = new Set(['versionId', 'x-oss-process', 'objectMeta', 'x-oss-traffic-limit']);

/** `only(subs, 'a', 'b')`: the request's sub-resources are exactly these. */
function only(subs: readonly string[], ...names: string[]): boolean {
  return subs.length === names.length && names.every((n) => subs.includes(n));
}

export function classify(
  method: string,
  address: Address,
  query: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string | string[] | undefined>> = {},
): Operation {
  // continuation-token is signed like a sub-resource (V1) but only pages a listing; the query
  // parameters of a presigned URL authenticate it and do not select an operation.
  const subs = [...query.keys()].filter(
    (k) =>
      isSubResource(k) &&
      !k.startsWith('response-') &&
      k !== 'continuation-token' &&
      !PRESIGN_QUERY_PARAMS.has(k),
  );
  if (address.bucket === undefined) {
    if (method === 'GET' && subs.length === 0 && address.key === '') {
      return op('ListBuckets', listBuckets, false, 'service');
    }
    return notImplemented(`${method}Service`);
  }
  if (address.key === '') {
    if (method === 'GET' && subs.length === 0) {
      return query.get('list-type') === '2' ? op('ListObjectsV2', listV2) : op('ListObjects', listV1);
    }
    if (method === 'GET' && only(subs, 'bucketInfo')) return op('GetBucketInfo', getBucketInfo);
    if (method === 'GET' && only(subs, 'uploads')) return op('ListMultipartUploads', listMultipartUploads);
    if (method === 'POST' && query.has('delete'))
      return op('DeleteMultipleObjects', deleteMultipleObjects, true);
    if (method === 'PUT' && subs.length === 0) return op('PutBucket', putBucket, true, 'create');
    if (method === 'DELETE' && subs.length === 0) return op('DeleteBucket', deleteBucket);
    return notImplemented(`${method}Bucket${subs.length > 0 ? `?${subs.join('&')}` : ''}`);
  }
  const otherSubs = subs.filter((s) => !READ_MODIFIERS.has(s));
  switch (method) {
    case 'HEAD':
      if (otherSubs.length > 0) break;
      return op(query.has('objectMeta') ? 'GetObjectMeta' : 'HeadObject', headObject);
    case 'GET':
      if (otherSubs.length === 0) return op('GetObject', getObject);
      if (only(otherSubs, 'tagging')) return op('GetObjectTagging', getObjectTagging);
      if (only(otherSubs, 'uploadId')) return op('ListParts', listParts);
      break;
    case 'PUT':
      if (subs.length === 0) {
        return headers['x-oss-copy-source'] !== undefined
          ? op('CopyObject', copyObject)
          : op('PutObject', putObject, true);
      }
      if (only(subs, 'tagging')) return op('PutObjectTagging', putObjectTagging, true);
      if (only(subs, 'partNumber', 'uploadId')) {
        return headers['x-oss-copy-source'] === undefined
          ? op('UploadPart', uploadPart, true)
          : op('UploadPartCopy', uploadPartCopy);
      }
      break;
    case 'POST':
      if (query.has('append')) return op('AppendObject', appendObject, true);
      if (only(subs, 'uploads')) return op('InitiateMultipartUpload', initiateMultipartUpload, true);
      if (only(subs, 'uploadId')) return op('CompleteMultipartUpload', completeMultipartUpload, true);
      break;
    case 'DELETE':
      if (subs.length === 0) return op('DeleteObject', deleteObject);
      if (only(subs, 'tagging')) return op('DeleteObjectTagging', deleteObjectTagging);
      if (only(subs, 'uploadId')) return op('AbortMultipartUpload', abortMultipartUpload);
      break;
  }
  return notImplemented(`${method}Object${subs.length > 0 ? `?${subs.join('&')}` : ''}`);
}
