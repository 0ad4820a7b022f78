// OSS V1 header signature (`Authorization: OSS <ak>:<base64 HMAC-SHA1>`), pure functions so the
// official test vectors can check them without a server.
import { createHmac } from 'node:crypto';

// Query parameters that are part of the CanonicalizedResource: the OSS doc list plus what the Go and
// Python SDKs add. Anything else (prefix, marker, max-keys, list-type...) is not signed in V1.
const SUB_RESOURCES = new Set([
  'acl',
  'uploads',
  'location',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'img',
  'style',
  'styleName',
  'replication',
  'replicationProgress',
  'replicationLocation',
  'cname',
  'bucketInfo',
  'comp',
  'qos',
  'live',
  'status',
  'vod',
  'startTime',
  'endTime',
  'symlink',
  'x-oss-process',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'stat',
  'restore',
  'callback',
  'callback-var',
  'versions',
  'versioning',
  'versionId',
  'sequential',
  'continuation-token',
  'regionList',
  'cloudboxes',
  'inventory',
  'inventoryId',
  'encryption',
  'policy',
  'requestPayment',
  'worm',
  'wormId',
  'wormExtend',
  'resourceGroup',
  'metaQuery',
  'transferAcceleration',
  'qosInfo',
  'asyncFetch',
  'objectInfo',
]);

export function isSubResource(name: string): boolean {
  return SUB_RESOURCES.has(name) || name.startsWith('x-oss-');
}

/** `/bucket/key?sub=v&sub2` with the raw (not URL-encoded) key and values. */
export function canonicalizedResourceV1(
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyArray<readonly [string, string]>,
): string {
  let resource = '/';
  if (bucket) resource += `${bucket}/${key ?? ''}`;
  const subs = query.filter(([k]) => isSubResource(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (subs.length > 0) resource += '?' + subs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
  return resource;
}

export interface V1SignInput {
  method: string;
  contentMd5: string;
  contentType: string;
  /** x-oss-date when present, else Date. */
  date: string;
  /** Lower-case header name -> value; only x-oss-* are used. */
  headers: Readonly<Record<string, string>>;
  resource: string;
}

export function stringToSignV1(input: V1SignInput): string {
  const ossHeaders = Object.keys(input.headers)
    .filter((h) => h.startsWith('x-oss-'))
    .sort()
    .map((h) => `${h}:${(input.headers[h] ?? '').trim()}\n`)
    .join('');
  return (
    `${input.method.toUpperCase()}\n${input.contentMd5}\n${input.contentType}\n${input.date}\n` +
    ossHeaders +
    input.resource
  );
}

export function signV1(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(Buffer.from(stringToSign, 'utf8')).digest('base64');
}
