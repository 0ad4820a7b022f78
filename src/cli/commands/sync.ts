// `oss-pai-sync sync`: enqueue a run and work it in-process until it is done, then print the report.
import { Command } from 'commander';
import type { Config } from '../../config/schema.ts';
import { planDryRun, formatPlan } from '../../runs/dry-run.ts';
import { buildReport, formatReport } from '../../runs/report.ts';
import { knownDatasetId, resolveDatasetId, startRun, toRunBinding } from '../../runs/start-run.ts';
import { waitForRun } from '../../runs/wait.ts';
import type { RunKind } from '../../runs/run-types.ts';
import { stateNeedsRecovery } from '../../sync/state-recovery.ts';
import type { Partition } from '../../queue/payloads.ts';
import { startWorkers } from '../../sync/workers.ts';
import { addBindingFlags, addVerbFlags, configFromCommand } from '../flags.ts';
import { createProgress } from '../progress.ts';
import { UsageError } from '../fail.ts';
import { explainAuthError, preflightOss } from '../preflight.ts';
import { onShutdown, openServices } from '../runtime.ts';

export interface RunVerbOptions {
  kind: RunKind;
  json: boolean;
  dryRun: boolean;
  /** Worker processes' share of the work happens elsewhere when false. */
  work: boolean;
  maxQueuedSyncJobs?: number;
  makePartitions?: (
    config: Config,
    services: Awaited<ReturnType<typeof openServices>>,
  ) => Promise<Partition[]>;
}

/** Exit code of a run someone cancelled (`run cancel`): not a failure of the run, and not success either. */
export const EXIT_CANCELLED = 4;

/** Exit code: 0 completed with nothing rejected, 2 items were rejected, 4 cancelled, 1 the run failed. */
export function exitCodeFor(status: string, rejected: number): number {
  if (status === 'cancelled') return EXIT_CANCELLED;
  if (status !== 'completed') return 1;
  return rejected > 0 ? 2 : 0;
}

export async function runVerb(config: Config, opts: RunVerbOptions): Promise<number> {
  try {
    return await runVerbChecked(config, opts);
  } catch (err) {
    // OSS was checked first (preflightOss), so a refused key from here on is the dataset service's.
    const auth = explainAuthError(err, 'PAI');
    if (auth) throw new UsageError(auth);
    throw err;
  }
}

async function runVerbChecked(config: Config, opts: RunVerbOptions): Promise<number> {
  const services = await openServices(
    { url: config.redis.url, prefix: config.redis.prefix, cluster: config.redis.cluster },
    opts.maxQueuedSyncJobs !== undefined ? { maxQueuedSyncJobs: opts.maxQueuedSyncJobs } : {},
  );
  try {
    await preflightOss(config.source, () => services.makeObjectStore(config.source));
    const api = await services.makeDatasetApi(
      { ...config.target, datasetId: config.target.datasetId ?? '' },
      config.source,
    );
    if (opts.dryRun) {
      const known = await knownDatasetId(services, config);
      if (!known) {
        process.stdout.write('dry run: the dataset does not exist yet; every object would be created.\n');
      }
      const datasetId = known ?? '(new dataset)';
      const binding = toRunBinding(config, datasetId);
      const plan = await planDryRun(services, binding);
      process.stdout.write(opts.json ? `${JSON.stringify(plan)}\n` : `${formatPlan(plan)}\n`);
      // An IMM dataset is named, not looked up: a dry run before the first sync finds it absent (no records).
      // Any other failure of this check leaves the plan standing, with a note.
      const lost = known
        ? await stateNeedsRecovery(services, binding).catch((err: Error & { code?: string }) => {
            if (!/NotFound|NotExist/i.test(`${err.code ?? ''} ${err.message}`))
              process.stderr.write(`note: could not check the dataset's records: ${err.message}\n`);
            return false;
          })
        : false;
      if (lost) {
        // On stderr, so that --json output stays one object.
        process.stderr.write(
          `note: the Redis state of this binding is empty but dataset ${known} already has records, so this ` +
            'plan counts every object as new. A real run rebuilds the state from the dataset first and writes ' +
            'only what differs (the same as `oss-pai-sync state rebuild` with these flags).\n',
        );
      }
      return 0;
    }
    const datasetId = await resolveDatasetId(services, api, config);
    const binding = toRunBinding(config, datasetId);
    const partitions = opts.makePartitions ? await opts.makePartitions(config, services) : undefined;
    // The run first: when the binding is busy nothing else has started yet.
    const runId = await startRun(services, binding, {
      kind: opts.kind,
      ...(partitions ? { partitions } : {}),
    });
    const workers = opts.work
      ? // Scan and sync only: cron ticks and upload events belong to the long-running `worker` processes.
        startWorkers(services, { kinds: ['scan', 'sync'], scanConcurrency: config.options.listConcurrency })
      : undefined;
    onShutdown(async () => {
      process.stderr.write(`run ${runId} continues in Redis: start \`oss-pai-sync worker\` to finish it.\n`);
      await workers?.close();
      await services.close();
    });
    if (!opts.json) process.stderr.write(`run ${runId} started\n`);
    const progress = createProgress();
    const run = await waitForRun(services.runs, runId, {
      onProgress: opts.json ? undefined : (r) => progress.update(r),
    });
    progress.done();
    await workers?.close();
    const report = buildReport(run);
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    return exitCodeFor(run.status, run.counters.rejected);
  } finally {
    await services.close();
  }
}

export function syncCommand(): Command {
  const cmd = new Command('sync')
    .description(
      'sync one binding now: list the source, write new/changed records, delete vanished ones, print the report',
    )
    .option('--json', 'print the report as one JSON object')
    .option('--dry-run', 'print the plan (counts and a sample) and write nothing');
  addVerbFlags(cmd, 'sync');
  addBindingFlags(cmd);
  cmd.action(async () => {
    const config = configFromCommand(cmd);
    const o = cmd.opts() as { json?: boolean; dryRun?: boolean; maxQueuedJobs: number };
    const maxQueued = o.maxQueuedJobs;
    process.exitCode = await runVerb(config, {
      kind: 'sync',
      json: !!o.json,
      dryRun: !!o.dryRun,
      work: true,
      ...(maxQueued !== undefined ? { maxQueuedSyncJobs: maxQueued } : {}),
    });
  });
  return cmd;
}
