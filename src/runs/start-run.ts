// Starting a run: resolve (or create) the dataset, take the binding's lock, make sure the state is not a lost
// one (src/sync/state-recovery.ts), record the run, enqueue its first listing page(s). Workers do the rest.
import type { Config } from '../config/schema.ts';
import type { DatasetApi, DatasetInfo } from '../pai/dataset-api.ts';
import { retryApiCall } from '../pai/call-retry.ts';
import type { Partition } from '../queue/payloads.ts';
import type { WorkerDeps } from '../sync/context.ts';
import { bindingId } from './binding.ts';
import { ensureImmDataset, ImmProjectMissing } from '../sinks/imm/ensure-dataset.ts';
import { immTarget, immTargetId } from '../sinks/imm/binding-target.ts';
import { BindingBusyError, BindingLock } from './binding-lock.ts';
import { scanJobId } from './job-ids.ts';
import { newRunId } from './run-store.ts';
import type { RunBinding, RunKind } from './run-types.ts';
import { SCAN_JOB_OPTS } from '../queue/payloads.ts';
import { recoverLostState } from '../sync/state-recovery.ts';

export { BindingBusyError };

export class DatasetError extends Error {}

function datasetUri(config: Config): string {
  const s = config.source;
  return `oss://${s.bucket}.oss-${s.region}.aliyuncs.com/${s.prefix}`;
}

function datasetMemoKey(services: Pick<WorkerDeps, 'keys'>, config: Config): string {
  return `${services.keys.prefix}:ops:dataset-by-name:${config.target.workspaceId}:${config.target.datasetName}`;
}

/** The dataset this config names, without creating anything (for --dry-run): given, or created earlier by name. */
export async function knownDatasetId(
  services: Pick<WorkerDeps, 'keys' | 'redis'>,
  config: Config,
): Promise<string | undefined> {
  // An IMM dataset is named, not numbered: its id is known without asking the service.
  if (immTarget(config.target)) return immTargetId(config.target);
  return config.target.datasetId ?? (await services.redis.get(datasetMemoKey(services, config))) ?? undefined;
}

/** The dataset id: given, or created once (ADVANCED, OSS, DIRECTORY) and remembered for this binding. */
export async function resolveDatasetId(
  services: WorkerDeps,
  api: DatasetApi,
  config: Config,
): Promise<string> {
  const t = config.target;
  const imm = immTarget(t);
  if (imm) {
    const immApi = await services.makeImmApi({ ...t, datasetId: immTargetId(t) }, config.source);
    const made = await retryApiCall(() =>
      ensureImmDataset(immApi, imm, {
        region: config.source.region,
        ...(t.immTemplateId ? { templateId: t.immTemplateId } : {}),
      }),
    ).catch((err: Error) => {
      throw err instanceof ImmProjectMissing
        ? new DatasetError(err.message)
        : new DatasetError(`IMM dataset ${imm.project}/${imm.dataset}: ${err.message}`);
    });
    if (made === 'created') {
      services.logger.info(
        { event: 'dataset.created', project: imm.project, dataset: imm.dataset },
        'IMM dataset created',
      );
    }
    return immTargetId(t);
  }
  if (t.datasetId) {
    const info = await retryApiCall(() => api.getDataset(t.datasetId!)).catch((err: Error) => {
      throw new DatasetError(`Cannot read dataset ${t.datasetId}: ${err.message}`);
    });
    if (!info)
      throw new DatasetError(
        `Dataset ${t.datasetId} does not exist in workspace ${t.workspaceId}. Check --dataset-id.`,
      );
    if (info.workspaceId && info.workspaceId !== t.workspaceId) {
      // Writing would fail on every call (PAI scopes file metadata by workspace): refuse before any work.
      throw new DatasetError(
        `Dataset ${t.datasetId} belongs to workspace ${info.workspaceId}, not to workspace ${t.workspaceId} ` +
          '(--workspace-id). Give the workspace the dataset belongs to, or a dataset of this workspace.',
      );
    }
    if (info.edition === 'BASIC') {
      throw new DatasetError(
        `Dataset ${t.datasetId} is Edition BASIC, which has no file metadata. Use an ADVANCED or LOGICAL dataset, ` +
          'or give --dataset-name instead of --dataset-id to create one.',
      );
    }
    return t.datasetId;
  }
  const memo = datasetMemoKey(services, config);
  const known = await services.redis.get(memo);
  if (known && (await retryApiCall(() => api.getDataset(known)))) return known;
  // Workers (cron ticks, event drains) may get here at once: one creates, the others wait for its id.
  const lock = `${memo}:creating`;
  for (let waited = 0; (await services.redis.set(lock, '1', 'PX', 60_000, 'NX')) !== 'OK'; waited += 100) {
    if (waited > 60_000)
      throw new DatasetError(`timed out waiting for dataset "${t.datasetName}" to be created`);
    await new Promise((r) => setTimeout(r, 100));
    const id = await services.redis.get(memo);
    if (id && id !== known) return id;
  }
  try {
    const again = await services.redis.get(memo);
    if (again && again !== known) return again;
    // The memo is only a cache of what PAI knows: a Redis that lost it (new, flushed, failed over) finds the
    // dataset created before by its name, instead of creating a second one and writing every record again.
    const found = await retryApiCall(() => api.findDatasets(t.workspaceId, t.datasetName!)).catch(
      (err: Error) => {
        throw new DatasetError(`ListDatasets failed: ${err.message}`);
      },
    );
    const existing = datasetByName(found, known, t.datasetName!, t.workspaceId);
    if (existing) {
      await services.redis.set(memo, existing);
      return existing;
    }
    const id = await retryApiCall(() =>
      api.createDataset({
        workspaceId: t.workspaceId,
        name: t.datasetName!,
        edition: t.datasetEdition,
        uri: datasetUri(config),
      }),
    ).catch((err: Error) => {
      throw new DatasetError(`CreateDataset failed: ${err.message}`);
    });
    await services.redis.set(memo, id);
    services.logger.info({ event: 'dataset.created', datasetId: id, name: t.datasetName }, 'dataset created');
    return id;
  } finally {
    await services.redis.del(lock);
  }
}

/**
 * PURE: which of the datasets named like the binding's (ListDatasets, oldest first) to use: none (create
 * one), the only usable one, or an error when several could be meant. `gone`: a remembered id that no longer
 * exists (never chosen).
 */
export function datasetByName(
  found: readonly DatasetInfo[],
  gone: string | null,
  name: string,
  workspaceId: string,
): string | undefined {
  const usable = found.filter((d) => d.datasetId !== gone && d.edition !== 'BASIC');
  if (usable.length > 1)
    throw new DatasetError(
      `${usable.length} datasets are named "${name}" in workspace ${workspaceId} ` +
        `(${usable.map((d) => d.datasetId).join(', ')}): give the one to sync with --dataset-id.`,
    );
  return usable[0]?.datasetId;
}

export function toRunBinding(config: Config, datasetId: string): RunBinding {
  const target = { ...config.target, datasetId };
  return {
    bindingId: bindingId({
      bucket: config.source.bucket,
      prefix: config.source.prefix,
      workspaceId: target.workspaceId,
      datasetId,
      datasetVersion: target.datasetVersion,
    }),
    source: config.source,
    target,
    options: config.options,
  };
}

export interface StartRunOptions {
  kind?: RunKind;
  partitions?: Partition[];
  /**
   * Work that must happen under the binding's lock before the run exists (verify --fix corrects the state
   * here, so that no run can start between its check and its run). Runs after the state recovery.
   */
  beforeStart?: () => Promise<void>;
}

/** How long a run being prepared keeps its lock without a record (renewed while the preparation lasts). */
const PREPARING_LEASE_MS = 30_000;

/**
 * The binding lock of a deployment (one active run per binding). A holder counts as active while its run
 * record says so, or while it is being prepared (its lease lives): a state rebuild before a run can take a
 * while, and its lock must not be taken over for want of a run record.
 */
export function bindingLock(services: Pick<WorkerDeps, 'redis' | 'keys' | 'runs'>): BindingLock {
  return new BindingLock(services.redis, services.keys, async (id) => {
    const status = await services.runs.status(id);
    if (status) return status;
    return (await services.redis.exists(services.keys.runPreparing(id))) === 1 ? 'queued' : undefined;
  });
}

/** Takes the binding's lock for runId; a lock left by a run that already ended is taken over. */
export async function lockBinding(services: WorkerDeps, bindingId: string, runId: string): Promise<void> {
  await bindingLock(services).acquire(bindingId, runId);
}

/**
 * Takes the binding's lock under a fresh id and runs `fn` while holding it. Until a run record exists for
 * the id, a lease marks the lock as taken; if this process dies, the lease expires and the next run takes
 * the lock over. The lock is released when `fn` fails, and also when it succeeds unless `keep` (a run was
 * recorded under the id and now owns the lock until it ends).
 */
async function holdBinding<T>(
  services: WorkerDeps,
  binding: RunBinding,
  keep: boolean,
  fn: (id: string) => Promise<T>,
): Promise<{ id: string; value: T }> {
  const id = newRunId();
  const lease = services.keys.runPreparing(id);
  // The lease before the lock: another starter that finds the lock must never find it without either.
  await services.redis.set(lease, '1', 'PX', PREPARING_LEASE_MS);
  const renew = setInterval(() => {
    void services.redis.pexpire(lease, PREPARING_LEASE_MS).catch(() => {});
  }, PREPARING_LEASE_MS / 3);
  renew.unref();
  try {
    await lockBinding(services, binding.bindingId, id);
    let value: T;
    try {
      value = await fn(id);
    } catch (err) {
      await bindingLock(services).release(binding.bindingId, id);
      throw err;
    }
    if (!keep) await bindingLock(services).release(binding.bindingId, id);
    return { id, value };
  } finally {
    clearInterval(renew);
    await services.redis.del(lease);
  }
}

/**
 * Runs `fn` while holding the binding's lock, outside any run (`state rebuild`): no run can start meanwhile,
 * and it refuses with BindingBusyError while one is active.
 */
export async function withBindingLock<T>(
  services: WorkerDeps,
  binding: RunBinding,
  fn: () => Promise<T>,
): Promise<T> {
  return (await holdBinding(services, binding, false, fn)).value;
}

/** Locks the binding for a new run, recovers a lost state, then records the run (after the caller's steps). */
async function lockAndPrepare(
  services: WorkerDeps,
  binding: RunBinding,
  record: (runId: string) => Promise<void>,
): Promise<string> {
  const { id } = await holdBinding(services, binding, true, async (runId) => {
    await recoverLostState(services, binding);
    await record(runId);
  });
  return id;
}

export async function startRun(
  services: WorkerDeps,
  binding: RunBinding,
  opts: StartRunOptions = {},
): Promise<string> {
  const partitions = opts.partitions ?? [{ id: 'p0' }];
  const runId = await lockAndPrepare(services, binding, async (id) => {
    await opts.beforeStart?.();
    await services.runs.create(id, opts.kind ?? 'sync', binding);
  });
  await services.runs.incr(runId, { partitions: partitions.length });
  const jobs = partitions.map((partition) => ({
    name: 'scan',
    data: { runId, partition, page: 0 },
    opts: { ...SCAN_JOB_OPTS, jobId: scanJobId(runId, partition.id, 0) },
  }));
  await services.runs.addPending(
    runId,
    jobs.map((j) => j.opts.jobId),
  );
  await services.scanQueue.addBulk(jobs);
  services.logger.info(
    { event: 'run.started', runId, bindingId: binding.bindingId, partitions: partitions.length },
    'run started',
  );
  return runId;
}

/** A run that does not list (requeued or event-driven items): incomplete by construction, so it never sweeps. */
export async function startRunWithoutScan(
  services: WorkerDeps,
  binding: RunBinding,
  kind: RunKind,
  enqueue: (runId: string) => Promise<void>,
): Promise<string> {
  const runId = await lockAndPrepare(services, binding, async (id) => {
    await services.runs.create(id, kind, binding);
  });
  await services.runs.markIncomplete(runId);
  await enqueue(runId);
  return runId;
}
