// verify wired to a binding of the running product: its OSS store, its PAI dataset as the record source, and
// the same API gate scope as the workers (a verify during a run shares the rate budget). Used by the CLI verb
// and the demo's final check.
import { ApiGate } from '../queue/api-gate.ts';
import type { RunBinding } from '../runs/run-types.ts';
import type { WorkerDeps } from '../sync/context.ts';
import type { DriftCounts } from './drift.ts';
import { paiRecordSource } from './pai-record-source.ts';
import type { RecordSource } from './record-source.ts';
import { verifyBinding, type VerifyOptions } from './verify.ts';

export async function recordSourceFor(
  deps: Pick<WorkerDeps, 'redis' | 'keys' | 'makeDatasetApi'>,
  binding: RunBinding,
): Promise<RecordSource> {
  const api = await deps.makeDatasetApi(binding.target, binding.source);
  const o = binding.options;
  const gate = new ApiGate(
    deps.redis,
    deps.keys.gate(`${binding.target.endpoint ?? binding.source.region}|${binding.target.workspaceId}`),
    { rps: o.apiRps, concurrency: o.apiConcurrency },
  );
  return paiRecordSource(api, gate, binding.target, binding.source.bucket);
}

export async function verifyRunBinding(
  deps: Pick<WorkerDeps, 'redis' | 'keys' | 'makeDatasetApi' | 'makeObjectStore'>,
  binding: RunBinding,
  opts: Pick<VerifyOptions, 'sample' | 'onDrift'> = {},
): Promise<{ counts: DriftCounts; records: RecordSource }> {
  const [store, records] = await Promise.all([
    deps.makeObjectStore(binding.source),
    recordSourceFor(deps, binding),
  ]);
  const counts = await verifyBinding(
    { redis: deps.redis, keyPrefix: deps.keys.prefix, store, records },
    { source: binding.source, fingerprint: binding.options.fingerprint, ...opts },
  );
  return { counts, records };
}
