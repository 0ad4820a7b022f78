// The small interface the pipeline uses to read OSS. Only ali-oss-store.ts imports the SDK.
import type { Readable } from 'node:stream';

export interface ObjectEntry {
  key: string;
  size: number;
  /** As OSS gives it, with quotes. */
  etag: string;
  /** Milliseconds since the epoch. */
  lastModified: number;
  type: string;
}

export interface ListPageRequest {
  prefix: string;
  /** Exclusive lower bound (OSS start-after); ignored when continuationToken is given. */
  startAfter?: string;
  continuationToken?: string;
  maxKeys: number;
  delimiter?: string;
}

export interface ListPage {
  objects: ObjectEntry[];
  commonPrefixes: string[];
  nextContinuationToken?: string;
}

export interface ObjectHead {
  etag: string;
  size: number;
  lastModified: number;
  contentType?: string;
  crc64?: string;
}

export interface ObjectStore {
  listPage(req: ListPageRequest): Promise<ListPage>;
  /** undefined when the object does not exist. */
  head(key: string): Promise<ObjectHead | undefined>;
  /** The body and the facts of the same answer (so reading an object needs no HEAD); undefined when missing. */
  getStream(key: string): Promise<{ stream: Readable; head: ObjectHead } | undefined>;
}
