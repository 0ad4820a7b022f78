// verify wired to a binding of the running product: its OSS store and its sink (PAI or IMM) as the record
// source, with the same API gate as the workers (a verify during a run shares the rate budget). Used by the CLI verb
// and the demo's final check.
import type { RunBinding } from '../runs/run-types.ts';
import { sinkFor } from '../sinks/sink-for.ts';
import type { WorkerDeps } from '../sync/context.ts';
import type { DriftCounts } from './drift.ts';
import { sinkRecordSource } from './sink-record-source.ts';
import type { RecordSource } from './record-source.ts';
import { verifyBinding, type VerifyOptions } from './verify.ts';

export async function recordSourceFor(
  deps: Pick<WorkerDeps, 'redis' | 'keys' | 'makeDatasetApi' | 'makeImmApi'>,
  binding: RunBinding,
): Promise<RecordSource> {
  return sinkRecordSource((await sinkFor(deps, binding)).sink);
}

export async function verifyRunBinding(
  deps: Pick<WorkerDeps, 'redis' | 'keys' | 'makeDatasetApi' | 'makeImmApi' | 'makeObjectStore'>,
  binding: RunBinding,
  opts: Pick<VerifyOptions, 'sample' | 'onDrift'> = {},
): Promise<{ counts: DriftCounts; records: RecordSource }> {
  const [store, records] = await Promise.all([
    deps.makeObjectStore(binding.source),
    recordSourceFor(deps, binding),
  ]);
  const counts = await verifyBinding(
    { redis: deps.redis, keys: deps.keys, store, records },
    { source: binding.source, fingerprint: binding.options.fingerprint, ...opts },
  );
  return { counts, records };
}
