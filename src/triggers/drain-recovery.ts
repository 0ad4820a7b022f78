// An upload-event drain must not act on a lost state either (src/sync/state-recovery.ts): with the state of
// the binding empty (a new or flushed Redis) while the dataset holds its records, every key the drain HEADs
// would look new and be created a second time. Drains run beside runs and never hold the binding's lock, so
// the check costs one ZCARD while the state has entries; only a state that looks lost is checked against the
// target, and rebuilt, under the binding's lock as before a run. When the binding is locked meanwhile: by an
// active run, whose start did that recovery already, the drain goes on; by a run still being prepared (it
// may be rebuilding right now), the drain fails this attempt and is retried.
import { BindingBusyError, withBindingLock } from '../runs/start-run.ts';
import type { RunBinding } from '../runs/run-types.ts';
import type { WorkerDeps } from '../sync/context.ts';
import { stateStoreFor } from '../sync/context.ts';
import { recoverLostState, recoveryStart } from '../sync/state-recovery.ts';

export type DrainStart = 'state-present' | 'target-known-empty' | 'checked' | 'run-active';

/** Makes the binding's state fit for a drain; throws (retry the drain) while a run's start may be rebuilding it. */
export async function ensureStateBeforeDrain(deps: WorkerDeps, binding: RunBinding): Promise<DrainStart> {
  const t = binding.target;
  const entries = await stateStoreFor(deps, binding).count();
  const emptyKey = deps.keys.stateTargetEmpty(t.datasetId, t.datasetVersion, binding.source.bucket);
  const start = recoveryStart(entries, entries === 0 && (await deps.redis.exists(emptyKey)) === 1);
  if (start !== 'check-target') return start;
  try {
    await withBindingLock(deps, binding, () => recoverLostState(deps, binding));
    return 'checked';
  } catch (err) {
    if (!(err instanceof BindingBusyError)) throw err;
    if (await deps.runs.status(err.activeRunId)) return 'run-active';
    throw new Error(
      `the state of binding ${binding.bindingId} is empty and run ${err.activeRunId} is being prepared ` +
        '(it may be rebuilding the state): this drain is retried',
    );
  }
}
