// Public types of the OSS emulator. Other engineers code against these names: keep them stable.

export interface OssCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests signed with this key must carry the same `x-oss-security-token` (STS). */
  securityToken?: string;
}

export interface OssFaults {
  /** Added before answering every request (default 0). */
  latencyMs: number;
  /** 0..1 share of requests answered 503 SlowDown (XML error body) (default 0). */
  slowDownRate: number;
  /** 0..1 share of requests whose socket is destroyed without an answer (default 0). */
  resetRate: number;
  /** 0..1 share of GET object requests that send headers + part of the body, then stall forever (default 0). */
  stallBodyRate: number;
}

export interface OssEventTarget {
  url: string;
  format: 'mns' | 'eventbridge';
  /** When set, every POST carries `x-oss-pai-sync-signature: sha256=<hex HMAC-SHA256(secret, body)>`. */
  secret?: string;
  /** Deliveries in flight at once over one keep-alive agent (default 8); one key always uses one lane. */
  maxInFlight?: number;
  /** MNS NotifyStrategy: 'backoff' (default; 3 retries after 10..20 s) or 'exponential' (176 retries, 1..512 s). */
  retryPolicy?: 'backoff' | 'exponential';
  /** Multiplies the policy's waits (default 0.01: 100..200 ms); 1 = MNS's real timing. */
  retryScale?: number;
  /** Events waiting beyond this are dropped and counted (default 100,000). */
  maxQueued?: number;
}

export interface OssEmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 = a free port. */
  port?: number;
  /** Default [{ accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }]. */
  credentials?: OssCredential[];
  /** Default 'cn-hangzhou' (V4 scope region, ARNs in events). */
  region?: string;
  /** Created at start. PUT object into a missing bucket answers NoSuchBucket. */
  buckets?: string[];
  /** When set: load at start and persist every change (see README.md, "Persistence"). */
  dataDir?: string;
  faults?: Partial<OssFaults>;
  /** When set: POST an event notification on every object put/delete done over HTTP. */
  events?: OssEventTarget;
  /** Default 15 minutes; a request date further away answers RequestTimeTooSkewed. */
  maxClockSkewMs?: number;
  /** The server's clock for authentication (skew, presigned URL expiry); default Date.now. Tests inject one. */
  clock?: () => number;
}

export type OssObjectType = 'Normal' | 'Multipart' | 'Appendable';

export interface OssObjectInfo {
  key: string;
  size: number;
  /** WITH quotes, upper-case hex: "\"5B3C...\"" or "\"HEX-3\"". */
  etag: string;
  lastModified: Date;
  type: OssObjectType;
  contentType: string;
  /** Decimal CRC-64/XZ of the whole object. */
  crc64: string;
  meta: Record<string, string>;
  storageClass: 'Standard';
}

export interface OssPutOptions {
  contentType?: string;
  meta?: Record<string, string>;
  lastModified?: Date;
}

export interface OssSeedObject {
  key: string;
  body: Buffer | string;
  contentType?: string;
  lastModified?: Date;
}

export interface OssStore {
  createBucket(name: string): void;
  hasBucket(name: string): boolean;
  putObject(bucket: string, key: string, body: Buffer | string, opts?: OssPutOptions): OssObjectInfo;
  /** ETag "HEX-N" (S3 formula), Type Multipart. */
  putMultipartObject(
    bucket: string,
    key: string,
    parts: Buffer[],
    opts?: { contentType?: string; lastModified?: Date },
  ): OssObjectInfo;
  /** Type Appendable, position grows. */
  appendObject(
    bucket: string,
    key: string,
    body: Buffer | string,
    opts?: { contentType?: string },
  ): OssObjectInfo;
  /** Fast bulk seeding for benchmarks (1,000,000 objects must take seconds, not minutes): sorts once at the end. */
  seedObjects(bucket: string, objects: Iterable<OssSeedObject>): number;
  deleteObject(bucket: string, key: string): boolean;
  getObject(bucket: string, key: string): (OssObjectInfo & { body: Buffer }) | undefined;
  headObject(bucket: string, key: string): OssObjectInfo | undefined;
  /** All objects under prefix in listing order (UTF-8 byte order). */
  listObjects(bucket: string, prefix?: string): OssObjectInfo[];
  objectCount(bucket: string): number;
}

export interface OssStats {
  requests: number;
  byOperation: Record<string, number>;
}

export interface OssEmulator {
  /** 'http://127.0.0.1:PORT' (what ali-oss takes as `endpoint`). */
  readonly endpoint: string;
  readonly port: number;
  /** In-process seeding/inspection; store writes do NOT fire events. */
  readonly store: OssStore;
  readonly stats: OssStats;
  resetStats(): void;
  setFaults(f: Partial<OssFaults>): void;
  /** Closes the server and all sockets (including stalled ones). */
  close(): Promise<void>;
}
