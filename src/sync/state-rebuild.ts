// Rebuilds the Redis state of a binding from ListDatasetFileMetas, for when Redis lost it. Writes into a
// temporary key and swaps it in with RENAME, so a concurrent reader never sees a half-built state.
// The rebuilt entries carry FileFingerPrint as the etag: with the default fingerprint mode (etag) the next
// run sees unchanged objects as unchanged; with crc64/content-md5 it re-sends them once (updates, no duplicates).
import type { DatasetApi } from '../pai/dataset-api.ts';
import type { RunBinding } from '../runs/run-types.ts';
import { stateStoreFor, type WorkerDeps } from './context.ts';
import { StateStore, type StateEntry } from './state-store.ts';

export interface RebuildResult {
  records: number;
  kept: number;
  duplicates: number;
  outside: number;
}

export async function rebuildState(
  deps: Pick<WorkerDeps, 'redis' | 'keys'>,
  api: DatasetApi,
  binding: RunBinding,
): Promise<RebuildResult> {
  const live = stateStoreFor(deps, binding);
  const tmpKey = `${live.key}:rebuild`;
  const tmp = new StateStore(deps.redis, tmpKey);
  await tmp.clear();
  const base = `oss://${binding.source.bucket}/`;
  const result: RebuildResult = { records: 0, kept: 0, duplicates: 0, outside: 0 };
  let nextToken: string | undefined;
  do {
    const page = await api.listFileMetas(binding.target, {
      maxResults: 100,
      ...(nextToken ? { nextToken } : {}),
    });
    const entries: Omit<StateEntry, 'member'>[] = [];
    // Duplicates (two records for one Uri) are found in Redis, not in a process-wide set: a 10M-record
    // dataset must not need gigabytes here. The first record seen wins.
    const inPage = new Set<string>();
    const candidates = page.records.filter((r) => r.Uri.startsWith(base));
    const known = await Promise.all(candidates.map((r) => tmp.get(r.Uri.slice(base.length))));
    result.records += page.records.length;
    result.outside += page.records.length - candidates.length;
    for (const [i, r] of candidates.entries()) {
      const key = r.Uri.slice(base.length);
      if (known[i] || inPage.has(key)) {
        result.duplicates++;
        continue;
      }
      inPage.add(key);
      entries.push({
        key,
        metaId: r.DatasetFileMetaId,
        etag: (r.FileFingerPrint ?? '').replace(/"/g, '').toUpperCase(),
        size: r.DataSize ?? 0,
        lastModified: r.FileUpdateTime ? Date.parse(r.FileUpdateTime) : 0,
      });
    }
    await tmp.put(entries);
    result.kept += entries.length;
    nextToken = page.nextToken;
  } while (nextToken);
  if (result.kept > 0) await deps.redis.rename(tmpKey, live.key);
  else await live.clear();
  return result;
}
