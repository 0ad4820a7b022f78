// The two seams where the pipeline's figures are taken without touching its processors:
//   - the SDK adapters (DatasetApi, ObjectStore): every call is timed and classified by result;
//   - the run store: every counter a run advances (RunStore.incr) and every run that ends (setStatus).
// Each process counts what it did; Prometheus sums the processes.
import type { ObjectStore } from '../oss/object-store.ts';
import type { ImmApi } from '../imm/imm-api.ts';
import type { DatasetApi } from '../pai/dataset-api.ts';
import { ApiCallError } from '../pai/errors.ts';
import type { RunStore } from '../runs/run-store.ts';
import type { Checkpoints } from '../sync/checkpoint.ts';
import type { Adapters, WorkerDeps } from '../sync/context.ts';
import { OBJECT_OUTCOMES, type ApiResult, type Metrics, type ObjectOutcome } from './metrics.ts';

function resultOf(err: unknown): ApiResult {
  return err instanceof ApiCallError ? err.kind : 'transient';
}

async function timed<T>(metrics: Metrics, api: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    const v = await fn();
    metrics.apiCall(api, 'ok', (performance.now() - t0) / 1000);
    return v;
  } catch (err) {
    metrics.apiCall(api, resultOf(err), (performance.now() - t0) / 1000);
    throw err;
  }
}

const PAI_ACTIONS: Record<keyof DatasetApi, string> = {
  createFileMetas: 'CreateDatasetFileMetas',
  updateFileMetas: 'UpdateDatasetFileMetas',
  deleteFileMetas: 'DeleteDatasetFileMetas',
  listFileMetas: 'ListDatasetFileMetas',
  createDataset: 'CreateDataset',
  getDataset: 'GetDataset',
  findDatasets: 'ListDatasets',
};

/** IMM actions carry an "imm:" prefix: GetDataset/CreateDataset exist in both APIs. */
const IMM_ACTIONS: Record<keyof ImmApi, string> = {
  projectExists: 'imm:GetProject',
  getDataset: 'imm:GetDataset',
  createDataset: 'imm:CreateDataset',
  batchIndex: 'imm:BatchIndexFileMeta',
  batchGet: 'imm:BatchGetFileMeta',
  batchDelete: 'imm:BatchDeleteFileMeta',
  simpleQuery: 'imm:SimpleQuery',
};

function instrumentMethods<T extends object>(api: T, actions: Record<string, string>, metrics: Metrics): T {
  const out = { ...api } as Record<string, unknown>;
  for (const [method, action] of Object.entries(actions)) {
    const fn = (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    if (fn) out[method] = (...args: unknown[]) => timed(metrics, action, () => fn.apply(api, args));
  }
  return out as T;
}

export function instrumentDatasetApi(api: DatasetApi, metrics: Metrics): DatasetApi {
  return instrumentMethods(api, PAI_ACTIONS, metrics);
}

export function instrumentImmApi(api: ImmApi, metrics: Metrics): ImmApi {
  return instrumentMethods(api, IMM_ACTIONS, metrics);
}

export function instrumentObjectStore(store: ObjectStore, metrics: Metrics): ObjectStore {
  return {
    ...store,
    listPage: (req) => timed(metrics, 'ListObjects', () => store.listPage(req)),
    head: (key) => timed(metrics, 'HeadObject', () => store.head(key)),
    getStream: (key) => timed(metrics, 'GetObject', () => store.getStream(key)),
  };
}

const OUTCOMES = new Set<string>(OBJECT_OUTCOMES);
const ENDED = new Set(['completed', 'failed', 'cancelled']);

/** "oss://bucket/prefix -> datasetId" per run, looked up once per run (bounded cache). */
function bindingLabels(runs: Pick<RunStore, 'binding'>): (runId: string) => Promise<string> {
  const labels = new Map<string, Promise<string>>();
  return (runId) => {
    let l = labels.get(runId);
    if (!l) {
      l = runs.binding(runId).then(
        (b) => (b ? `oss://${b.source.bucket}/${b.source.prefix} -> ${b.target.datasetId}` : 'unknown'),
        () => 'unknown',
      );
      labels.set(runId, l);
      // Bounded: a long-lived worker sees many runs.
      if (labels.size > 256) labels.delete(labels.keys().next().value!);
    }
    return l;
  };
}

/** Counts the outcomes among `deltas` (positive amounts only: a counter never goes down); never throws. */
async function countOutcomes(
  metrics: Metrics,
  labelOf: (runId: string) => Promise<string>,
  runId: string,
  deltas: Record<string, number | undefined>,
): Promise<void> {
  const counted = Object.entries(deltas).filter(([k, v]) => OUTCOMES.has(k) && v !== undefined && v > 0);
  if (counted.length === 0) return;
  try {
    const binding = await labelOf(runId);
    for (const [k, v] of counted) metrics.objects(binding, k as ObjectOutcome, v!);
  } catch {
    // Metrics must never break the pipeline.
  }
}

/** Reports RunStore.incr and terminal setStatus calls. */
export function instrumentRunStore(runs: RunStore, metrics: Metrics): RunStore {
  const labelOf = bindingLabels(runs);
  const incr = runs.incr.bind(runs);
  const setStatus = runs.setStatus.bind(runs);
  runs.incr = async (runId, deltas) => {
    await incr(runId, deltas);
    await countOutcomes(metrics, labelOf, runId, deltas);
  };
  runs.setStatus = async (runId, status, extra) => {
    await setStatus(runId, status, extra);
    if (ENDED.has(status)) metrics.runEnded(status);
  };
  return runs;
}

/**
 * Reports the counters a sync batch's checkpoint advances (created, updated, retried, rejected), once: only
 * when the checkpoint was applied (a batch re-run after a crash is not counted twice).
 */
export function instrumentCheckpoints(
  checkpoints: Checkpoints,
  deps: Pick<WorkerDeps, 'metrics' | 'runs' | 'keys'>,
): Checkpoints {
  const metrics = deps.metrics;
  if (!metrics) return checkpoints;
  const labelOf = bindingLabels(deps.runs);
  const runKeyBase = deps.keys.run('');
  const apply = checkpoints.apply.bind(checkpoints);
  checkpoints.apply = async (jobId, n, step, where) => {
    const applied = await apply(jobId, n, step, where);
    if (applied && where.runKey.startsWith(runKeyBase))
      await countOutcomes(metrics, labelOf, where.runKey.slice(runKeyBase.length), { ...step.counters });
    return applied;
  };
  return checkpoints;
}

export function instrumentAdapters<A extends Adapters>(adapters: A, metrics: Metrics): A {
  return {
    ...adapters,
    makeObjectStore: async (source) => instrumentObjectStore(await adapters.makeObjectStore(source), metrics),
    makeDatasetApi: async (target, source) =>
      instrumentDatasetApi(await adapters.makeDatasetApi(target, source), metrics),
    makeImmApi: async (target, source) =>
      instrumentImmApi(await adapters.makeImmApi(target, source), metrics),
  };
}
