// In-memory buckets. Each bucket keeps its objects in an ObjectTable: keys sorted in UTF-8 byte order
// with their records alongside, so a listing page costs a binary search plus the page, never a scan from
// the start, and a point lookup is a binary search. Bulk seeding merges one sorted run in at the end.
import { crc64 } from './crc64.ts';
import { OssError } from './errors.ts';
import {
  type ObjectRecord,
  DEFAULT_CONTENT_TYPE,
  appendEtag,
  md5Hex,
  multipartEtag,
  normalRecord,
  toBuffer,
  toInfo,
  truncateToSecond,
} from './object-record.ts';
import type { MultipartUpload } from './multipart-upload.ts';
import { ObjectTable, type Shape, lowerBound } from './object-table.ts';
import type { Persistence } from './persistence.ts';
import type { OssObjectInfo, OssPutOptions, OssSeedObject, OssStore } from './types.ts';
import { compareUtf8 } from './utf8-order.ts';

// Records are never mutated in place (every write builds a new one), so seeded objects can share this.
const NO_META: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** What PutBucket sets and GetBucketInfo/ListBuckets show. */
export interface BucketSettings {
  createdMs: number;
  storageClass: string;
  acl: string;
  dataRedundancyType: string;
}

export interface BucketState {
  /** Records by key, and the keys sorted by compareUtf8 (`objects.keys`). */
  readonly objects: ObjectTable;
  readonly settings: BucketSettings;
  /** In-progress multipart uploads by upload id (not persisted). */
  readonly uploads: Map<string, MultipartUpload>;
}

export function defaultBucketSettings(now = Date.now()): BucketSettings {
  return {
    createdMs: truncateToSecond(new Date(now)),
    storageClass: 'Standard',
    acl: 'private',
    dataRedundancyType: 'LRS',
  };
}

function newBucketState(settings: BucketSettings): BucketState {
  return { objects: new ObjectTable(), settings, uploads: new Map() };
}

// OSS bucket naming rule: 3-63 chars, lower-case letters, digits and hyphens, no hyphen at the ends.
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

export { lowerBound };

/** First index whose key is > `target`. */
export function upperBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid] as string, target) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index past every key that starts with `prefix` (keys sharing a prefix are contiguous). */
export function endOfPrefix(keys: readonly string[], prefix: string): number {
  let lo = lowerBound(keys, prefix);
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string).startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryStore implements OssStore {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly persistence?: Persistence) {
    if (persistence) {
      for (const [name, { settings, records }] of persistence.load()) {
        const state = newBucketState(settings);
        state.objects.bulkSet(
          records.map((r) => r.key),
          records,
        );
        this.buckets.set(name, state);
      }
    }
  }

  /** The raw state for the HTTP layer; throws NoSuchBucket. */
  bucket(name: string): BucketState {
    const b = this.buckets.get(name);
    if (!b) throw new OssError('NoSuchBucket', undefined, [['BucketName', name]]);
    return b;
  }

  record(bucket: string, key: string): ObjectRecord | undefined {
    return this.bucket(bucket).objects.get(key);
  }

  /** Idempotent: an existing bucket keeps its objects and settings. */
  createBucket(name: string, settings: Partial<BucketSettings> = {}): void {
    if (!isValidBucketName(name)) throw new Error(`invalid OSS bucket name: ${JSON.stringify(name)}`);
    if (this.buckets.has(name)) return;
    const full = { ...defaultBucketSettings(), ...settings };
    this.buckets.set(name, newBucketState(full));
    this.persistence?.createBucket(name, full);
  }

  /** Changes the ACL of an existing bucket (PutBucket on an own bucket with `x-oss-acl`). */
  setBucketAcl(name: string, acl: string): void {
    const b = this.bucket(name);
    b.settings.acl = acl;
    this.persistence?.createBucket(name, b.settings);
  }

  /** Throws NoSuchBucket, or BucketNotEmpty while objects or multipart uploads remain (as OSS). */
  deleteBucket(name: string): void {
    const b = this.bucket(name);
    if (b.objects.size > 0 || b.uploads.size > 0) {
      throw new OssError('BucketNotEmpty', undefined, [['BucketName', name]]);
    }
    this.buckets.delete(name);
    this.persistence?.deleteBucket(name);
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** Stores a complete record (HTTP PUT and the public put* methods end here). */
  save(bucket: string, r: ObjectRecord): ObjectRecord {
    const b = this.bucket(bucket);
    b.objects.set(r);
    this.persistence?.put(bucket, r);
    return r;
  }

  putObject(bucket: string, key: string, body: Buffer | string, opts: OssPutOptions = {}): OssObjectInfo {
    this.bucket(bucket);
    return toInfo(this.save(bucket, normalRecord(key, toBuffer(body), opts)));
  }

  putMultipartObject(
    bucket: string,
    key: string,
    parts: Buffer[],
    opts: { contentType?: string; lastModified?: Date } = {},
  ): OssObjectInfo {
    this.bucket(bucket);
    const body = Buffer.concat(parts);
    return toInfo(
      this.save(bucket, {
        key,
        body,
        etag: multipartEtag(parts),
        lastModifiedMs: truncateToSecond(opts.lastModified),
        type: 'Multipart',
        contentType: opts.contentType || DEFAULT_CONTENT_TYPE,
        crc64: crc64(body),
        meta: {},
      }),
    );
  }

  /** Appends at the current end. Throws ObjectNotAppendable for Normal/Multipart objects. */
  appendRecord(
    bucket: string,
    key: string,
    data: Buffer,
    opts: { contentType?: string; meta?: Record<string, string> },
  ): ObjectRecord {
    const prev = this.bucket(bucket).objects.get(key);
    if (prev && prev.type !== 'Appendable') throw new OssError('ObjectNotAppendable');
    return this.save(bucket, {
      key,
      body: prev ? Buffer.concat([prev.body, data]) : data,
      etag: appendEtag(prev?.etag, data),
      lastModifiedMs: truncateToSecond(undefined),
      type: 'Appendable',
      // Like OSS, type and user metadata are fixed by the first append.
      contentType: prev ? prev.contentType : opts.contentType || DEFAULT_CONTENT_TYPE,
      crc64: crc64(data, prev?.crc64 ?? '0'),
      meta: prev ? prev.meta : { ...(opts.meta ?? {}) },
    });
  }

  appendObject(
    bucket: string,
    key: string,
    body: Buffer | string,
    opts: { contentType?: string } = {},
  ): OssObjectInfo {
    return toInfo(this.appendRecord(bucket, key, toBuffer(body), opts));
  }

  seedObjects(bucket: string, objects: Iterable<OssSeedObject>): number {
    const b = this.bucket(bucket);
    const batch: ObjectRecord[] = [];
    // Benchmarks seed many objects with the same short body: hash it once and share one Buffer.
    const memo = new Map<string, { body: Buffer; etag: string; crc: string }>();
    // `emulate --seed` passes one Buffer for every object: hash it once too.
    let lastBuffer: Buffer | undefined;
    let lastDerived: { body: Buffer; etag: string; crc: string } | undefined;
    const derive = (raw: Buffer | string) => {
      if (typeof raw !== 'string' && raw === lastBuffer && lastDerived) return lastDerived;
      if (typeof raw !== 'string') {
        lastBuffer = raw;
        lastDerived = { body: raw, etag: md5Hex(raw), crc: crc64(raw) };
        return lastDerived;
      }
      if (raw.length > 256) {
        const body = toBuffer(raw);
        return { body, etag: md5Hex(body), crc: crc64(body) };
      }
      let d = memo.get(raw);
      if (!d) {
        const body = toBuffer(raw);
        d = { body, etag: md5Hex(body), crc: crc64(body) };
        if (memo.size > 10_000) memo.clear();
        memo.set(raw, d);
      }
      return d;
    };
    const now = truncateToSecond(undefined);
    // Objects with the same derived body, time and type share one Shape (ObjectTable materialises the
    // record on read): a seeded object costs its key and two array slots.
    let shape: Shape | undefined;
    let shapeOf: { body: Buffer; etag: string; crc: string } | undefined;
    const keys: string[] = [];
    const slots: Shape[] = [];
    for (const o of objects) {
      const d = derive(o.body);
      const lastModifiedMs = o.lastModified ? truncateToSecond(o.lastModified) : now;
      const contentType = o.contentType || DEFAULT_CONTENT_TYPE;
      if (
        !shape ||
        shapeOf !== d ||
        shape.lastModifiedMs !== lastModifiedMs ||
        shape.contentType !== contentType
      ) {
        shapeOf = d;
        shape = {
          body: d.body,
          etag: d.etag,
          lastModifiedMs,
          type: 'Normal',
          contentType,
          crc64: d.crc,
          meta: NO_META,
        };
      }
      keys.push(o.key);
      slots.push(shape);
      if (this.persistence) {
        batch.push({ key: o.key, ...shape });
        if (batch.length >= 10_000) this.persistence.putMany(bucket, batch.splice(0));
      }
    }
    if (this.persistence) this.persistence.putMany(bucket, batch);
    b.objects.bulkSet(keys, slots);
    return keys.length;
  }

  deleteObject(bucket: string, key: string): boolean {
    return this.remove(bucket, key) !== undefined;
  }

  /** Deletes and returns the removed record (events need its size and ETag). */
  remove(bucket: string, key: string): ObjectRecord | undefined {
    const r = this.bucket(bucket).objects.delete(key);
    if (r) this.persistence?.delete(bucket, key);
    return r;
  }

  getObject(bucket: string, key: string): (OssObjectInfo & { body: Buffer }) | undefined {
    const r = this.record(bucket, key);
    return r ? { ...toInfo(r), body: r.body } : undefined;
  }

  headObject(bucket: string, key: string): OssObjectInfo | undefined {
    const r = this.record(bucket, key);
    return r ? toInfo(r) : undefined;
  }

  listObjects(bucket: string, prefix = ''): OssObjectInfo[] {
    const { objects } = this.bucket(bucket);
    const keys = objects.keys;
    const out: OssObjectInfo[] = [];
    for (let i = lowerBound(keys, prefix); i < keys.length; i++) {
      if (!(keys[i] as string).startsWith(prefix)) break;
      out.push(toInfo(objects.at(i)));
    }
    return out;
  }

  objectCount(bucket: string): number {
    return this.bucket(bucket).objects.size;
  }
}
