// Starting a run: resolve (or create) the dataset, take the binding's lock, record the run, enqueue its
// first listing page(s). Nothing else: workers do the rest.
import type { Config } from '../config/schema.ts';
import type { DatasetApi } from '../pai/dataset-api.ts';
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
}

/** The binding lock of a deployment (one active run per binding). */
export function bindingLock(services: Pick<WorkerDeps, 'redis' | 'keys' | 'runs'>): BindingLock {
  return new BindingLock(services.redis, services.keys, (id) => services.runs.status(id));
}

/** Takes the binding's lock for runId; a lock left by a run that already ended is taken over. */
export async function lockBinding(services: WorkerDeps, bindingId: string, runId: string): Promise<void> {
  await bindingLock(services).acquire(bindingId, runId);
}

export async function startRun(
  services: WorkerDeps,
  binding: RunBinding,
  opts: StartRunOptions = {},
): Promise<string> {
  const runId = newRunId();
  await lockBinding(services, binding.bindingId, runId);
  const partitions = opts.partitions ?? [{ id: 'p0' }];
  await services.runs.create(runId, opts.kind ?? 'sync', binding);
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
  const runId = newRunId();
  await lockBinding(services, binding.bindingId, runId);
  await services.runs.create(runId, kind, binding);
  await services.runs.markIncomplete(runId);
  await enqueue(runId);
  return runId;
}
