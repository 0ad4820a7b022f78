// Optional on-disk copy of the store (`dataDir`). Layout, per bucket:
//   <dataDir>/buckets/<bucket>/index.ndjson   append-only log of {"op":"put",...} / {"op":"del","key"}
//   <dataDir>/buckets/<bucket>/blobs/<md5>    bodies, content-addressed (identical bodies stored once)
// Writes are synchronous so a successful HTTP answer means the change is on disk. On load the log is
// replayed, then rewritten compacted and unreferenced blobs are removed, so it never grows unbounded
// across restarts.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ObjectRecord } from './object-record.ts';
import { type BucketSettings, defaultBucketSettings } from './store.ts';
import type { OssObjectType } from './types.ts';

interface PutLine {
  op: 'put';
  key: string;
  etag: string;
  lm: number;
  type: OssObjectType;
  ct: string;
  crc: string;
  meta: Record<string, string>;
  blob: string;
  tags?: Readonly<Record<string, string>>;
}
interface DelLine {
  op: 'del';
  key: string;
}

export class Persistence {
  /** `<bucket>/<md5>` of blobs known to exist: skips a stat per write when bodies repeat. */
  private readonly knownBlobs = new Set<string>();

  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'buckets'), { recursive: true });
  }

  private bucketDir(bucket: string): string {
    return join(this.dir, 'buckets', bucket);
  }

  /** Creates the bucket's folder, or rewrites its settings (`bucket.json`) when it exists. */
  createBucket(bucket: string, settings: BucketSettings): void {
    mkdirSync(join(this.bucketDir(bucket), 'blobs'), { recursive: true });
    const index = join(this.bucketDir(bucket), 'index.ndjson');
    if (!existsSync(index)) writeFileSync(index, '');
    writeFileSync(join(this.bucketDir(bucket), 'bucket.json'), JSON.stringify(settings));
  }

  deleteBucket(bucket: string): void {
    rmSync(this.bucketDir(bucket), { recursive: true, force: true });
  }

  put(bucket: string, r: ObjectRecord): void {
    appendFileSync(
      join(this.bucketDir(bucket), 'index.ndjson'),
      JSON.stringify(this.writeBlob(bucket, r)) + '\n',
    );
  }

  /** One append for many objects: seeding 1,000,000 keys must not do 1,000,000 syscalls for the index. */
  putMany(bucket: string, records: readonly ObjectRecord[]): void {
    const lines: string[] = [];
    for (const r of records) lines.push(JSON.stringify(this.writeBlob(bucket, r)));
    if (lines.length > 0)
      appendFileSync(join(this.bucketDir(bucket), 'index.ndjson'), lines.join('\n') + '\n');
  }

  delete(bucket: string, key: string): void {
    const line: DelLine = { op: 'del', key };
    appendFileSync(join(this.bucketDir(bucket), 'index.ndjson'), JSON.stringify(line) + '\n');
  }

  private writeBlob(bucket: string, r: ObjectRecord): PutLine {
    const blob = createHash('md5').update(r.body).digest('hex');
    const id = `${bucket}/${blob}`;
    if (!this.knownBlobs.has(id)) {
      const path = join(this.bucketDir(bucket), 'blobs', blob);
      if (!existsSync(path)) writeFileSync(path, r.body);
      this.knownBlobs.add(id);
    }
    return {
      op: 'put',
      key: r.key,
      etag: r.etag,
      lm: r.lastModifiedMs,
      type: r.type,
      ct: r.contentType,
      crc: r.crc64,
      meta: r.meta,
      blob,
      ...(r.tags ? { tags: r.tags } : {}),
    };
  }

  /** Reads every bucket, compacts its log and returns its settings and objects (unsorted). */
  load(): Map<string, { settings: BucketSettings; records: ObjectRecord[] }> {
    const result = new Map<string, { settings: BucketSettings; records: ObjectRecord[] }>();
    const root = join(this.dir, 'buckets');
    for (const bucket of readdirSync(root)) {
      const dir = this.bucketDir(bucket);
      const indexPath = join(dir, 'index.ndjson');
      const latest = new Map<string, PutLine>();
      if (existsSync(indexPath)) {
        for (const line of readFileSync(indexPath, 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          let parsed: PutLine | DelLine;
          try {
            parsed = JSON.parse(line) as PutLine | DelLine;
          } catch {
            continue; // a torn last line after a crash: the change never completed
          }
          if (parsed.op === 'put') latest.set(parsed.key, parsed);
          else latest.delete(parsed.key);
        }
      }
      const records: ObjectRecord[] = [];
      const used = new Set<string>();
      for (const p of latest.values()) {
        const blobPath = join(dir, 'blobs', p.blob);
        if (!existsSync(blobPath)) continue;
        used.add(p.blob);
        records.push({
          key: p.key,
          body: readFileSync(blobPath),
          etag: p.etag,
          lastModifiedMs: p.lm,
          type: p.type,
          contentType: p.ct,
          crc64: p.crc,
          meta: p.meta,
          ...(p.tags ? { tags: p.tags } : {}),
        });
      }
      mkdirSync(join(dir, 'blobs'), { recursive: true });
      const tmp = indexPath + '.tmp';
      writeFileSync(tmp, [...latest.values()].map((l) => JSON.stringify(l) + '\n').join(''));
      renameSync(tmp, indexPath);
      for (const blob of readdirSync(join(dir, 'blobs'))) {
        if (!used.has(blob)) rmSync(join(dir, 'blobs', blob), { force: true });
      }
      result.set(bucket, { settings: readSettings(join(dir, 'bucket.json')), records });
    }
    return result;
  }
}

/** Buckets written before `bucket.json` existed get default settings. */
function readSettings(path: string): BucketSettings {
  const defaults = defaultBucketSettings();
  if (!existsSync(path)) return defaults;
  try {
    return { ...defaults, ...(JSON.parse(readFileSync(path, 'utf8')) as Partial<BucketSettings>) };
  } catch {
    return defaults;
  }
}
