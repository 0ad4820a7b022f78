// Everything a processor needs, built once per process and per run. Dependencies come in through factories
// (makeObjectStore, makeDatasetApi) so tests and the demo can point the same code at the emulators.
import type { Queue } from 'bullmq';
import type { RedisClient } from '../queue/connection.ts';
import type { ObjectStore } from '../oss/object-store.ts';
import type { DatasetApi } from '../pai/dataset-api.ts';
import type { ApiGate } from '../queue/api-gate.ts';
import type { Keys } from '../queue/keys.ts';
import type { ControlJobData, ScanJobData, SyncJobData } from '../queue/payloads.ts';
import type { DeadLetterStore } from '../runs/dead-letter.ts';
import type { RunStore } from '../runs/run-store.ts';
import type { RunBinding } from '../runs/run-types.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { ImmApi } from '../imm/imm-api.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { sinkFor } from '../sinks/sink-for.ts';
import type { Sink } from '../sinks/sink.ts';
import { createKeyFilter, type KeyFilter } from './key-filter.ts';
import { StateStore } from './state-store.ts';

export interface Adapters {
  makeObjectStore(source: RunBinding['source']): Promise<ObjectStore>;
  makeDatasetApi(target: RunBinding['target'], source: RunBinding['source']): Promise<DatasetApi>;
  makeImmApi(target: RunBinding['target'], source: RunBinding['source']): Promise<ImmApi>;
}

export interface WorkerDeps extends Adapters {
  redis: RedisClient;
  keys: Keys;
  runs: RunStore;
  dead: DeadLetterStore;
  scanQueue: Queue<ScanJobData>;
  syncQueue: Queue<SyncJobData>;
  controlQueue: Queue<ControlJobData>;
  logger: Logger;
  /** Upper bound of sync jobs waiting before the scanner slows down (backpressure). */
  maxQueuedSyncJobs: number;
  /** Where per-batch counters are reported (src/telemetry); absent: nowhere. */
  metrics?: Metrics;
}

export interface RunContext {
  binding: RunBinding;
  store: ObjectStore;
  /** The target, behind the sink boundary (src/sinks/sink.ts): the pipeline writes only through it. */
  sink: Sink;
  gate: ApiGate;
  state: StateStore;
  filter: KeyFilter;
}

export function stateStoreFor(deps: Pick<WorkerDeps, 'redis' | 'keys'>, binding: RunBinding): StateStore {
  const t = binding.target;
  return new StateStore(deps.redis, deps.keys.state(t.datasetId, t.datasetVersion, binding.source.bucket));
}

export function createContextCache(deps: WorkerDeps) {
  const cache = new Map<string, Promise<RunContext>>();
  return async function contextFor(runId: string): Promise<RunContext> {
    let ctx = cache.get(runId);
    if (!ctx) {
      ctx = (async () => {
        const binding = await deps.runs.binding(runId);
        if (!binding) throw new Error(`run ${runId} has no record in Redis (was it removed?)`);
        const [store, { sink, gate }] = await Promise.all([
          deps.makeObjectStore(binding.source),
          sinkFor(deps, binding),
        ]);
        return {
          binding,
          store,
          sink,
          gate,
          state: stateStoreFor(deps, binding),
          filter: createKeyFilter(binding.source.prefix, binding.source.include, binding.source.exclude),
        };
      })();
      ctx.catch(() => cache.delete(runId));
      cache.set(runId, ctx);
      // Bounded: a long-lived worker sees many runs.
      if (cache.size > 64) cache.delete(cache.keys().next().value!);
    }
    return ctx;
  };
}
