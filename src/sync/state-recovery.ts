// A run must never start on a lost state. With the binding's state empty (a new Redis, a flushed one) but the
// target already holding records, every object would look new and be created a second time: a duplicate
// record per Uri where the service accepts them (PAI may), a wasted write per object where it does not (PAI
// "Uri already exists", IMM re-indexing). So before a run starts, under the binding's lock, a state that is
// empty while the target holds records of the bucket is rebuilt from the target first.
//
// The state is per (dataset, version, bucket), not per prefix, so the recovery rebuilds every record of the
// bucket: another binding on another prefix of the same bucket shares it.
//
// Cost: a non-empty state costs one ZCARD. An empty one costs one listing call of the target, or more when
// the dataset is shared with other buckets (PAI cannot filter ListDatasetFileMetas by Uri, so the check reads
// on until a record of this bucket or the end). When that longer check finds nothing of the bucket, the answer
// is remembered (stateTargetEmpty) until the state has entries again, so that a binding whose source stays
// empty does not list a shared dataset before each run.
import type { RunBinding } from '../runs/run-types.ts';
import { sinkFor } from '../sinks/sink-for.ts';
import type { Sink } from '../sinks/sink.ts';
import { stateStoreFor, type WorkerDeps } from './context.ts';
import { rebuildState, type RebuildResult } from './state-rebuild.ts';

export type RecoveryStart = 'state-present' | 'target-known-empty' | 'check-target';

/** Pure: what to do before a run, from the state's size and whether the target was found empty before. */
export function recoveryStart(stateEntries: number, targetKnownEmpty: boolean): RecoveryStart {
  if (stateEntries > 0) return 'state-present';
  return targetKnownEmpty ? 'target-known-empty' : 'check-target';
}

export type RecoveryOutcome =
  | { action: 'none'; why: 'state-present' | 'target-known-empty' | 'target-empty' }
  | { action: 'rebuilt'; result: RebuildResult };

/**
 * Whether the target holds at least one record of the binding's bucket, reading no further than the first,
 * and how many pages that took.
 */
export async function targetHoldsRecords(
  sink: Pick<Sink, 'list'>,
): Promise<{ holds: boolean; pages: number }> {
  let pages = 0;
  // Leaving the loop early closes the generator: no further page is requested.
  for await (const page of sink.list(async () => {})) {
    pages++;
    if (page.length > 0) return { holds: true, pages };
  }
  return { holds: false, pages };
}

type Deps = Pick<WorkerDeps, 'redis' | 'keys' | 'logger' | 'makeDatasetApi' | 'makeImmApi'>;

/** Read-only (for --dry-run): whether a real run would rebuild the state first. */
export async function stateNeedsRecovery(deps: Omit<Deps, 'logger'>, binding: RunBinding): Promise<boolean> {
  const t = binding.target;
  const emptyKey = deps.keys.stateTargetEmpty(t.datasetId, t.datasetVersion, binding.source.bucket);
  const entries = await stateStoreFor(deps, binding).count();
  const start = recoveryStart(entries, entries === 0 && (await deps.redis.exists(emptyKey)) === 1);
  return start === 'check-target' && (await targetHoldsRecords((await sinkFor(deps, binding)).sink)).holds;
}

/**
 * Makes the binding's state fit for a run: rebuilt from the target when it is empty and the target is not.
 * Call it only while holding the binding's lock (the rebuild swaps the whole state in at the end).
 */
export async function recoverLostState(deps: Deps, binding: RunBinding): Promise<RecoveryOutcome> {
  const state = stateStoreFor(deps, binding);
  const t = binding.target;
  const emptyKey = deps.keys.stateTargetEmpty(t.datasetId, t.datasetVersion, binding.source.bucket);
  const entries = await state.count();
  const start = recoveryStart(entries, entries === 0 && (await deps.redis.exists(emptyKey)) === 1);
  if (start === 'state-present') {
    // Records were written since the target was found empty: that answer no longer holds.
    await deps.redis.del(emptyKey);
    return { action: 'none', why: start };
  }
  if (start === 'target-known-empty') return { action: 'none', why: start };
  const { sink } = await sinkFor(deps, binding);
  const found = await targetHoldsRecords(sink);
  if (!found.holds) {
    // Remembered only when finding out cost more than one call (other buckets' records in the dataset): a
    // stale memo would hide a lost state, so the cheap case is simply asked again next time.
    if (found.pages > 1) await deps.redis.set(emptyKey, '1');
    return { action: 'none', why: 'target-empty' };
  }
  const where = {
    bindingId: binding.bindingId,
    datasetId: t.datasetId,
    datasetVersion: t.datasetVersion,
    bucket: binding.source.bucket,
  };
  deps.logger.warn(
    { event: 'state.recovery.started', ...where },
    'the Redis state of this binding is empty but the target already holds records: rebuilding it from the target before the run (no record is written twice)',
  );
  // The whole bucket (rebuildState): the state is shared by every prefix of it.
  const result = await rebuildState(
    deps,
    binding,
    sink.list(async () => {}),
  );
  deps.logger.warn(
    { event: 'state.recovery.finished', ...where, ...result },
    `state rebuilt from the target: ${result.kept} record(s) of ${result.records}`,
  );
  return { action: 'rebuilt', result };
}
