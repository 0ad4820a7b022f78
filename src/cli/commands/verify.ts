// `oss-pai-sync verify`: does the dataset match the bucket? Read through the API, never from the Redis state.
// Exit 0 in sync, 3 drift found, 1 error. `--fix` repairs through a normal run, guarded by --max-delete.
import { describeTarget } from '../../sinks/imm/binding-target.ts';
import { Command } from 'commander';
import type { Config } from '../../config/schema.ts';
import { BindingBusyError, knownDatasetId, startRun, toRunBinding } from '../../runs/start-run.ts';
import type { RunBinding } from '../../runs/run-types.ts';
import { waitForRun } from '../../runs/wait.ts';
import { stateStoreFor } from '../../sync/context.ts';
import { startWorkers } from '../../sync/workers.ts';
import { inSync, type DriftCounts } from '../../verify/drift.ts';
import { checkFixAllowed, FixJournal, FixRefusedError } from '../../verify/fix.ts';
import { formatVerify } from '../../verify/format.ts';
import { verifyRunBinding } from '../../verify/verify-binding.ts';
import { UsageError } from '../fail.ts';
import { addBindingFlags, addVerbFlags, configFromCommand } from '../flags.ts';
import { openServices } from '../runtime.ts';

type Services = Awaited<ReturnType<typeof openServices>>;

export const EXIT_DRIFT = 3;

async function verifyOnce(services: Services, binding: RunBinding, sample: number, journal?: FixJournal) {
  return verifyRunBinding(services, binding, { sample, ...(journal ? { onDrift: journal.record } : {}) });
}

async function activeRun(services: Services, bindingId: string): Promise<string | undefined> {
  const holder = await services.redis.get(services.keys.bindingActive(bindingId));
  if (!holder) return undefined;
  const status = await services.runs.status(holder);
  return status && !['completed', 'failed', 'cancelled'].includes(status) ? holder : undefined;
}

const busyMessage = (runId: string) =>
  `a run of this binding is active (${runId}); --fix waits for no one: retry when it ended ` +
  `(oss-pai-sync status ${runId})`;

async function fixAndRun(
  services: Services,
  config: Config,
  binding: RunBinding,
  counts: DriftCounts,
  journal: FixJournal,
  records: Awaited<ReturnType<typeof verifyOnce>>['records'],
  json: boolean,
): Promise<void> {
  try {
    checkFixAllowed(counts, { delete: config.options.delete, maxDelete: config.options.maxDelete });
  } catch (err) {
    await journal.discard();
    throw err instanceof FixRefusedError ? new UsageError(err.message) : err;
  }
  const busy = await activeRun(services, binding.bindingId);
  if (busy) {
    await journal.discard();
    throw new UsageError(busyMessage(busy));
  }
  const log = (s: string) => {
    if (!json) process.stderr.write(`${s}\n`);
  };
  // The corrections are made under the binding's lock, as the run's first step: no other run can start
  // between the check above and the repair run (a run writing the state meanwhile would undo them), and a
  // lost state is rebuilt before them (startRun), so that objects already in sync are not created again.
  let runId: string;
  try {
    runId = await startRun(services, binding, {
      kind: 'sync',
      beforeStart: async () => {
        const applied = await journal.apply(stateStoreFor(services, binding), records);
        log(
          `fix: ${applied.state} key(s) corrected in the state, ${applied.dropped} duplicate record(s) deleted`,
        );
      },
    });
  } catch (err) {
    await journal.discard();
    if (err instanceof BindingBusyError) throw new UsageError(busyMessage(err.activeRunId));
    throw err;
  }
  log(`fix: run ${runId} started`);
  const workers = startWorkers(services, {
    kinds: ['scan', 'sync'],
    scanConcurrency: config.options.listConcurrency,
  });
  try {
    const run = await waitForRun(services.runs, runId);
    log(
      `fix: run ${runId} ${run.status}: created ${run.counters.created}, updated ${run.counters.updated}, deleted ${run.counters.deleted}`,
    );
    if (run.status !== 'completed')
      throw new Error(`the repair run ${runId} ${run.status}${run.error ? `: ${run.error}` : ''}`);
  } finally {
    await workers.close();
  }
}

export function verifyCommand(): Command {
  const cmd = new Command('verify')
    .description(
      'compare the dataset records (read through the API) with the bucket: missing, orphaned, stale, duplicates; exit 0 in sync, 3 drift, 1 error',
    )
    .option(
      '--json',
      'print one JSON object: objects, records, missing, orphaned, stale, duplicates, samples',
    )
    .option('--fix', 'repair the drift through a normal run (guarded by --max-delete), then verify again');
  addVerbFlags(cmd, 'verify');
  addBindingFlags(cmd);
  cmd.action(async () => {
    const config = configFromCommand(cmd);
    const o = cmd.opts() as { json?: boolean; sample: number; fix?: boolean };
    const sample = o.sample;
    const services = await openServices(config.redis);
    try {
      const datasetId = await knownDatasetId(services, config);
      if (!datasetId)
        throw new UsageError('verify needs --dataset-id (or the --dataset-name of a dataset a sync created)');
      const binding = toRunBinding(config, datasetId);
      const where = {
        source: `oss://${binding.source.bucket}/${binding.source.prefix}`,
        target: describeTarget(datasetId, binding.target.datasetVersion),
      };
      const print = (c: DriftCounts) =>
        process.stdout.write(o.json ? `${JSON.stringify(c)}\n` : `${formatVerify(c, where)}\n`);
      const journal = o.fix ? new FixJournal(services.redis, services.keys) : undefined;
      const first = await verifyOnce(services, binding, sample, journal);
      print(first.counts);
      let final = first.counts;
      if (journal && !inSync(first.counts)) {
        await fixAndRun(services, config, binding, first.counts, journal, first.records, !!o.json);
        final = (await verifyOnce(services, binding, sample)).counts;
        print(final);
      } else await journal?.discard();
      process.exitCode = inSync(final) ? 0 : EXIT_DRIFT;
    } finally {
      await services.close();
    }
  });
  return cmd;
}
