// Bucket lifecycle: PutBucket, GetBucketInfo, DeleteBucket and the service-level ListBuckets
// (GET / without a bucket). XML shapes follow the OSS API reference.
import { OWNER_ID } from './constants.ts';
import { OssError } from './errors.ts';
import { sendXml } from './http-util.ts';
import type { RequestContext } from './request-context.ts';
import { type BucketSettings, isValidBucketName } from './store.ts';
import { XML_DECLARATION, el, textOf } from './xml.ts';

const STORAGE_CLASSES = new Set(['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const ACLS = new Set(['private', 'public-read', 'public-read-write']);
const REDUNDANCY = new Set(['LRS', 'ZRS']);

function invalidArgument(name: string, value: string, message: string): OssError {
  return new OssError('InvalidArgument', message, [
    ['ArgumentName', name],
    ['ArgumentValue', value],
  ]);
}

/** Settings a PutBucket asks for: `x-oss-acl` and the optional `<CreateBucketConfiguration>` body. */
export function requestedSettings(
  headers: Readonly<Record<string, string>>,
  body: string,
): Partial<BucketSettings> {
  const out: Partial<BucketSettings> = {};
  const acl = headers['x-oss-acl'];
  if (acl !== undefined) {
    if (!ACLS.has(acl)) throw invalidArgument('x-oss-acl', acl, 'no such bucket access control exists');
    out.acl = acl;
  }
  if (body.trim() === '') return out;
  if (!/<CreateBucketConfiguration(?:\s[^>]*)?>[\s\S]*<\/CreateBucketConfiguration>/.test(body)) {
    throw new OssError('MalformedXML');
  }
  const storageClass = textOf(body, 'StorageClass');
  if (storageClass !== undefined) {
    if (!STORAGE_CLASSES.has(storageClass))
      throw invalidArgument('StorageClass', storageClass, 'Invalid storage class.');
    out.storageClass = storageClass;
  }
  const redundancy = textOf(body, 'DataRedundancyType');
  if (redundancy !== undefined) {
    if (!REDUNDANCY.has(redundancy))
      throw invalidArgument('DataRedundancyType', redundancy, 'Invalid data redundancy type.');
    out.dataRedundancyType = redundancy;
  }
  return out;
}

export function putBucket(ctx: RequestContext): void {
  if (!isValidBucketName(ctx.bucket)) {
    throw new OssError('InvalidBucketName', undefined, [['BucketName', ctx.bucket]]);
  }
  const wanted = requestedSettings(ctx.headers, ctx.body.toString('utf8'));
  if (ctx.store.hasBucket(ctx.bucket)) {
    // Re-creating an own bucket succeeds unless it asks to change what OSS cannot change (README.md).
    const current = ctx.store.bucket(ctx.bucket).settings;
    if (wanted.storageClass !== undefined && wanted.storageClass !== current.storageClass) {
      throw new OssError('BucketAlreadyExists', "Bucket already exists can't modify storage type.");
    }
    if (wanted.dataRedundancyType !== undefined && wanted.dataRedundancyType !== current.dataRedundancyType) {
      throw new OssError('BucketAlreadyExists', "Bucket already exists can't modify data redundancy type.");
    }
    if (wanted.acl !== undefined) ctx.store.setBucketAcl(ctx.bucket, wanted.acl);
  } else {
    ctx.store.createBucket(ctx.bucket, wanted);
  }
  ctx.res.writeHead(200, { Location: `/${ctx.bucket}`, 'Content-Length': '0' });
  ctx.res.end();
}

export function deleteBucket(ctx: RequestContext): void {
  ctx.store.deleteBucket(ctx.bucket);
  ctx.res.writeHead(204);
  ctx.res.end();
}

function endpoints(region: string): string {
  return (
    el('ExtranetEndpoint', `oss-${region}.aliyuncs.com`) +
    el('IntranetEndpoint', `oss-${region}-internal.aliyuncs.com`)
  );
}

export function getBucketInfo(ctx: RequestContext): void {
  const s = ctx.store.bucket(ctx.bucket).settings;
  const owner = `<Owner>${el('DisplayName', OWNER_ID)}${el('ID', OWNER_ID)}</Owner>`;
  const xml =
    `${XML_DECLARATION}<BucketInfo><Bucket>` +
    el('AccessMonitor', 'Disabled') +
    el('CreationDate', new Date(s.createdMs).toISOString()) +
    endpoints(ctx.region) +
    el('Location', `oss-${ctx.region}`) +
    el('StorageClass', s.storageClass) +
    el('TransferAcceleration', 'Disabled') +
    el('CrossRegionReplication', 'Disabled') +
    el('Name', ctx.bucket) +
    el('ResourceGroupId', 'rg-emulator') +
    owner +
    `<AccessControlList>${el('Grant', s.acl)}</AccessControlList>` +
    `<ServerSideEncryptionRule>${el('SSEAlgorithm', 'None')}</ServerSideEncryptionRule>` +
    `<BucketPolicy>${el('LogBucket', '')}${el('LogPrefix', '')}</BucketPolicy>` +
    el('DataRedundancyType', s.dataRedundancyType) +
    el('Comment', '') +
    el('BlockPublicAccess', 'false') +
    '</Bucket></BucketInfo>';
  sendXml(ctx.res, 200, xml);
}

/** ListBuckets (GetService): prefix, marker, max-keys (1..1000, default 100), names in byte order. */
export function listBuckets(ctx: RequestContext): void {
  const prefix = ctx.query.get('prefix') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const rawMax = ctx.query.get('max-keys');
  let max = 100;
  if (rawMax !== undefined && rawMax !== '') {
    max = /^\d{1,4}$/.test(rawMax) ? Number(rawMax) : NaN;
    if (!(max >= 1 && max <= 1000)) {
      throw invalidArgument('max-keys', rawMax, 'Argument max-keys must be an integer between 1 and 1000.');
    }
  }
  const names = ctx.store.bucketNames().filter((n) => n.startsWith(prefix) && n > marker);
  const page = names.slice(0, max);
  const truncated = names.length > page.length;
  const buckets = page
    .map((name) => {
      const s = ctx.store.bucket(name).settings;
      return (
        '<Bucket>' +
        el('CreationDate', new Date(s.createdMs).toISOString()) +
        endpoints(ctx.region) +
        el('Location', `oss-${ctx.region}`) +
        el('Name', name) +
        el('Region', ctx.region) +
        el('StorageClass', s.storageClass) +
        '</Bucket>'
      );
    })
    .join('');
  const xml =
    `${XML_DECLARATION}<ListAllMyBucketsResult>` +
    (ctx.query.has('prefix') ? el('Prefix', prefix) : '') +
    (ctx.query.has('marker') ? el('Marker', marker) : '') +
    (rawMax !== undefined ? el('MaxKeys', max) : '') +
    (rawMax !== undefined || truncated ? el('IsTruncated', truncated) : '') +
    (truncated ? el('NextMarker', page[page.length - 1] ?? '') : '') +
    `<Owner>${el('ID', OWNER_ID)}${el('DisplayName', OWNER_ID)}</Owner>` +
    `<Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`;
  sendXml(ctx.res, 200, xml);
}
