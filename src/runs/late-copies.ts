// The end-of-run check of late copies. A lookup that resolves an unfinished write sees only what has landed
// by then; a write can land after it (src/sync/suspect-keys.ts says how), and then one object has two
// records that no job knows of. Once every job of the run is over, the keys collected as suspect are
// looked up again: the record the state points at is kept, every other one is deleted. Each record
// deleted here was written by a call whose outcome no checkpoint counted (the checkpoints count the
// copies they found and removed themselves), so it counts as created AND deleted: the counters still
// equal what the target accepted.
import type { RunContext } from '../sync/context.ts';
import type { SuspectKeys } from '../sync/suspect-keys.ts';
import type { TargetRecord } from '../sinks/sink.ts';

export interface LateCopies {
  /** Suspect keys looked up. */
  checked: number;
  /** Extra records deleted. */
  removed: number;
  /** Extra records whose deletion failed (left for `verify --fix`). */
  failed: number;
}

/** PURE: the records to delete for one key: all but the one the state points at (else the first). */
export function extraCopies(records: readonly TargetRecord[], stateId: string | undefined): string[] {
  if (records.length < 2) return [];
  const keep = records.find((r) => r.targetId === stateId) ?? records[0]!;
  return records.filter((r) => r !== keep).map((r) => r.targetId);
}

export async function removeLateCopies(
  ctx: Pick<RunContext, 'sink' | 'state'>,
  suspects: Pick<SuspectKeys, 'scan'>,
  runId: string,
  countCall: () => Promise<void>,
): Promise<LateCopies> {
  const out: LateCopies = { checked: 0, removed: 0, failed: 0 };
  // SSCAN may return a member twice: a key is checked (and its copies counted) once.
  const seen = new Set<string>();
  for await (const page of suspects.scan(runId)) {
    const keys = page.filter((k) => !seen.has(k));
    for (const k of keys) seen.add(k);
    if (keys.length === 0) continue;
    out.checked += keys.length;
    const [found, entries] = await Promise.all([ctx.sink.lookup(keys, countCall), ctx.state.getMany(keys)]);
    const extra = keys.flatMap((k, i) => extraCopies(found.get(k) ?? [], entries[i]?.metaId));
    if (extra.length === 0) continue;
    // A deletion refused for one item (a transient per-item failure) is tried again, twice.
    let left = extra;
    for (let attempt = 0; attempt < 3 && left.length > 0; attempt++) {
      const res = await ctx.sink.remove(left, countCall);
      out.removed += res.gone.length;
      left = res.failed;
    }
    out.failed += left.length;
  }
  return out;
}
