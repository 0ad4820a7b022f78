// verify: compares what the target holds (read through its API, never the Redis state) with the bucket.
// Memory stays bounded whatever the size: the records are spilled into a temporary Redis sorted set
// (record-spill.ts), then the OSS listing, already in key order, is merged with them one key at a time
// (rclone's march), and each key's verdict (drift.ts) is counted. Only counters and a few sample keys stay in
// the process; `onDrift` lets `--fix` stream what it must repair somewhere bounded too.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../queue/connection.ts';
import type { Keys } from '../queue/keys.ts';
import type { ObjectEntry, ObjectStore } from '../oss/object-store.ts';
import { compareKeys } from '../oss/key-order.ts';
import { createKeyFilter } from '../sync/key-filter.ts';
import { emptyCounts, judge, tally, type DriftCounts, type FingerprintMode, type Verdict } from './drift.ts';
import type { RecordSource } from './record-source.ts';
import { RecordSpill, type RecordGroup } from './record-spill.ts';

export interface VerifySource {
  bucket: string;
  prefix: string;
  include: readonly string[];
  exclude: readonly string[];
}

export interface VerifyOptions {
  source: VerifySource;
  fingerprint: FingerprintMode;
  /** Sample keys kept per kind of drift (default 10). */
  sample?: number;
  /** Every drifted key, in key order (for --fix). */
  onDrift?: (key: string, object: ObjectEntry | undefined, v: Verdict) => Promise<void> | void;
}

export interface VerifyDeps {
  redis: RedisClient;
  /** Where the temporary key lives (the deployment's hash-tagged prefix keeps it in the same slot). */
  keys: Pick<Keys, 'verifySpill'>;
  store: ObjectStore;
  records: RecordSource;
}

async function* listObjects(
  store: ObjectStore,
  source: VerifySource,
  accept: (key: string) => boolean,
): AsyncGenerator<ObjectEntry> {
  let token: string | undefined;
  do {
    const page = await store.listPage({
      prefix: source.prefix,
      maxKeys: 1000,
      ...(token ? { continuationToken: token } : {}),
    });
    for (const o of page.objects) if (accept(o.key)) yield o;
    token = page.nextContinuationToken;
  } while (token);
}

export async function verifyBinding(deps: VerifyDeps, opts: VerifyOptions): Promise<DriftCounts> {
  const s = opts.source;
  const accept = createKeyFilter(s.prefix, s.include, s.exclude);
  // Records outside the binding (another prefix, a key its globs leave out) belong to someone else.
  const covered = (key: string) => key.startsWith(s.prefix) && accept(key);
  const spill = new RecordSpill(deps.redis, deps.keys.verifySpill(randomBytes(6).toString('hex')));
  const sample = opts.sample ?? 10;
  const counts = emptyCounts();
  try {
    for await (const page of deps.records.pages()) await spill.add(page.filter((r) => covered(r.key)));

    const objects = listObjects(deps.store, s, accept);
    const groups = spill.groups();
    let o = (await objects.next()).value as ObjectEntry | undefined;
    let g = (await groups.next()).value as RecordGroup | undefined;
    while (o || g) {
      const c = !o ? 1 : !g ? -1 : compareKeys(o.key, g.key);
      const key = c <= 0 ? o!.key : g!.key;
      const object = c <= 0 ? o : undefined;
      const records = c >= 0 ? g!.records : [];
      const v = judge(object, records, opts.fingerprint);
      tally(counts, key, object, records, v, sample);
      if (opts.onDrift && (v.kind !== 'in-sync' || v.extras.length > 0)) await opts.onDrift(key, object, v);
      if (c <= 0) o = (await objects.next()).value as ObjectEntry | undefined;
      if (c >= 0) g = (await groups.next()).value as RecordGroup | undefined;
    }
    return counts;
  } finally {
    await spill.drop();
  }
}
