// ListObjectsV2 (GET /?list-type=2) and ListObjects v1 (GET /): parameter validation and the XML
// answer. The paging itself lives in list-scan.ts.
import { DEFAULT_LIST_KEYS, MAX_KEY_BYTES, MAX_LIST_KEYS, OWNER_ID } from './constants.ts';
import { decodeContinuationToken, encodeContinuationToken } from './continuation-token.ts';
import { OssError } from './errors.ts';
import type { ObjectRecord } from './object-record.ts';
import { scanPage } from './list-scan.ts';
import type { BucketState } from './store.ts';
import { uriEncode } from './uri-encode.ts';
import { utf8Length } from './utf8-order.ts';
import { XML_DECLARATION, el } from './xml.ts';

type Query = ReadonlyMap<string, string>;

function parseMaxKeys(query: Query): number {
  const raw = query.get('max-keys');
  if (raw === undefined || raw === '') return DEFAULT_LIST_KEYS;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_LIST_KEYS)) {
    throw new OssError(
      'InvalidArgument',
      `Argument max-keys must be an integer between 1 and ${MAX_LIST_KEYS}.`,
      [
        ['ArgumentName', 'max-keys'],
        ['ArgumentValue', raw],
      ],
    );
  }
  return n;
}

function parseEncoding(query: Query): (s: string) => string {
  const raw = query.get('encoding-type');
  if (raw === undefined || raw === '') return (s) => s;
  if (raw !== 'url') {
    throw new OssError('InvalidArgument', 'The encoding-type parameter must be url.', [
      ['ArgumentName', 'encoding-type'],
      ['ArgumentValue', raw],
    ]);
  }
  return uriEncode;
}

function checkLength(name: string, value: string): string {
  if (utf8Length(value) > MAX_KEY_BYTES) {
    throw new OssError('InvalidArgument', `Argument ${name} must be shorter than 1024 bytes.`, [
      ['ArgumentName', name],
    ]);
  }
  return value;
}

function contentsXml(r: ObjectRecord, enc: (s: string) => string, withOwner: boolean): string {
  return (
    '<Contents>' +
    el('Key', enc(r.key)) +
    el('LastModified', new Date(r.lastModifiedMs).toISOString()) +
    el('ETag', `"${r.etag}"`) +
    el('Type', r.type) +
    el('Size', r.body.length) +
    el('StorageClass', 'Standard') +
    (withOwner ? `<Owner>${el('ID', OWNER_ID)}${el('DisplayName', OWNER_ID)}</Owner>` : '') +
    '</Contents>'
  );
}

function prefixesXml(prefixes: readonly string[], enc: (s: string) => string): string {
  return prefixes.map((p) => `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`).join('');
}

export function listObjectsV2(bucket: string, state: BucketState, query: Query): string {
  const maxKeys = parseMaxKeys(query);
  const enc = parseEncoding(query);
  const prefix = checkLength('prefix', query.get('prefix') ?? '');
  const delimiter = query.get('delimiter') ?? '';
  const startAfter = query.get('start-after');
  const token = query.get('continuation-token');
  const fetchOwner = query.get('fetch-owner') === 'true';
  let after: string | undefined;
  // S3 semantics: a continuation token wins over start-after.
  if (token !== undefined && token !== '') {
    after = decodeContinuationToken(token);
    if (after === undefined) {
      throw new OssError('InvalidArgument', 'The continuation-token is not valid.', [
        ['ArgumentName', 'continuation-token'],
        ['ArgumentValue', token],
      ]);
    }
  } else if (startAfter !== undefined && startAfter !== '') {
    after = checkLength('start-after', startAfter);
  }
  const page = scanPage(state, { prefix, delimiter, after, maxKeys });
  const next = page.isTruncated && page.last !== undefined ? encodeContinuationToken(page.last) : undefined;
  return (
    XML_DECLARATION +
    '<ListBucketResult>' +
    el('Name', bucket) +
    el('Prefix', enc(prefix)) +
    (startAfter !== undefined && startAfter !== '' ? el('StartAfter', enc(startAfter)) : '') +
    (token !== undefined && token !== '' ? el('ContinuationToken', token) : '') +
    el('MaxKeys', maxKeys) +
    (delimiter !== '' ? el('Delimiter', enc(delimiter)) : '') +
    (query.get('encoding-type') === 'url' ? el('EncodingType', 'url') : '') +
    el('IsTruncated', page.isTruncated) +
    (next !== undefined ? el('NextContinuationToken', enc(next)) : '') +
    el('KeyCount', page.contents.length + page.commonPrefixes.length) +
    page.contents.map((r) => contentsXml(r, enc, fetchOwner)).join('') +
    prefixesXml(page.commonPrefixes, enc) +
    '</ListBucketResult>'
  );
}

export function listObjectsV1(bucket: string, state: BucketState, query: Query): string {
  const maxKeys = parseMaxKeys(query);
  const enc = parseEncoding(query);
  const prefix = checkLength('prefix', query.get('prefix') ?? '');
  const delimiter = query.get('delimiter') ?? '';
  const marker = checkLength('marker', query.get('marker') ?? '');
  const page = scanPage(state, { prefix, delimiter, after: marker === '' ? undefined : marker, maxKeys });
  return (
    XML_DECLARATION +
    '<ListBucketResult>' +
    el('Name', bucket) +
    el('Prefix', enc(prefix)) +
    el('Marker', enc(marker)) +
    el('MaxKeys', maxKeys) +
    el('Delimiter', enc(delimiter)) +
    (query.get('encoding-type') === 'url' ? el('EncodingType', 'url') : '') +
    el('IsTruncated', page.isTruncated) +
    (page.isTruncated && page.last !== undefined ? el('NextMarker', enc(page.last)) : '') +
    // ali-oss v1 list() dereferences Owner.ID unconditionally: always emit it here.
    page.contents.map((r) => contentsXml(r, enc, true)).join('') +
    prefixesXml(page.commonPrefixes, enc) +
    '</ListBucketResult>'
  );
}
