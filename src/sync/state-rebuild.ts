// Rebuilds a binding's Redis state from its sink's listing (Sink.list: PAI ListDatasetFileMetas, IMM
// SimpleQuery), for when Redis lost it. The state key is the bucket's, shared by every prefix bound to the
// same target, so the WHOLE bucket is rebuilt whatever the binding's prefix: keeping only the prefix's
// records would wipe the other prefixes' entries, and their next run would write every object again (a
// second record per Uri where the service accepts one). Written into a temporary key and swapped in with RENAME, so a reader
// never sees half a state. The record's fingerprint stands in for the listing ETag: with the default
// fingerprint mode (etag) unchanged objects stay unchanged; with crc64 or content-md5 they are written once
// more (updates: no duplicates).
import type { RunBinding } from '../runs/run-types.ts';
import type { TargetRecord } from '../sinks/sink.ts';
import { stateStoreFor, type WorkerDeps } from './context.ts';
import { StateStore } from './state-store.ts';

export interface RebuildResult {
  records: number;
  kept: number;
  duplicates: number;
}

export async function rebuildState(
  deps: Pick<WorkerDeps, 'redis' | 'keys'>,
  binding: RunBinding,
  pages: AsyncIterable<TargetRecord[]>,
): Promise<RebuildResult> {
  const live = stateStoreFor(deps, binding);
  const t = binding.target;
  const tmpKey = deps.keys.stateRebuild(t.datasetId, t.datasetVersion, binding.source.bucket);
  const tmp = new StateStore(deps.redis, tmpKey);
  await tmp.clear();
  const result: RebuildResult = { records: 0, kept: 0, duplicates: 0 };
  for await (const page of pages) {
    result.records += page.length;
    // One call per page: Redis skips a Uri already kept (an earlier page, or earlier in this one) itself,
    // instead of one lookup per record from here.
    const skipped = await tmp.addAbsent(
      page.map((r) => ({
        key: r.key,
        metaId: r.targetId,
        etag: (r.fingerprint ?? '').replace(/"/g, '').toUpperCase(),
        size: r.size ?? 0,
        lastModified: r.updateTime ?? 0,
      })),
    );
    result.duplicates += skipped;
    result.kept += page.length - skipped;
  }
  if (result.kept > 0) await deps.redis.rename(tmpKey, live.key);
  else await live.clear();
  return result;
}
