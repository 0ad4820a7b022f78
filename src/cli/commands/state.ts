// `oss-pai-sync state rebuild`: rebuild the binding's Redis state from its target's records.
import { Command } from 'commander';
import { immTarget } from '../../sinks/imm/binding-target.ts';
import { sinkFor } from '../../sinks/sink-for.ts';
import { rebuildState } from '../../sync/state-rebuild.ts';
import { knownDatasetId, resolveDatasetId, toRunBinding, withBindingLock } from '../../runs/start-run.ts';
import { UsageError } from '../fail.ts';
import { addBindingFlags, configFromCommand } from '../flags.ts';
import { openServices } from '../runtime.ts';

export function stateCommand(): Command {
  const cmd = new Command('state').description('manage the Redis state that makes incremental runs cheap');
  const rebuild = cmd
    .command('rebuild')
    .description(
      'rebuild the state of a binding from the dataset records (PAI: ListDatasetFileMetas; IMM: SimpleQuery), e.g. after Redis lost it',
    );
  addBindingFlags(rebuild);
  rebuild.action(async () => {
    const config = configFromCommand(rebuild);
    const imm = immTarget(config.target);
    const services = await openServices(config.redis);
    try {
      // Given, or created by name through this Redis earlier (a lost Redis lost that memo too).
      const known = await knownDatasetId(services, config);
      if (!known)
        throw new UsageError(
          `state rebuild needs --dataset-id: no dataset named "${config.target.datasetName}" was created ` +
            'through this Redis. Give the id of the dataset whose records the state is rebuilt from ' +
            '(PAI console, or `oss-pai-sync status` of an earlier run).',
        );
      // IMM files are named by URI: the dataset is read as it is (never created here). A PAI dataset id is
      // checked (exists, this workspace, an edition with file metadata).
      const datasetId = imm
        ? known
        : await resolveDatasetId(
            services,
            await services.makeDatasetApi({ ...config.target, datasetId: known }, config.source),
            { ...config, target: { ...config.target, datasetId: known } },
          );
      const binding = toRunBinding(config, datasetId);
      const { sink } = await sinkFor(services, binding);
      // Under the binding's lock: a run writing the state meanwhile would lose its writes to the swap.
      // No API call counts against a run here: the guard lets every call through.
      const res = await withBindingLock(services, binding, () =>
        rebuildState(
          services,
          binding,
          sink.list(async () => {}),
        ),
      );
      process.stdout.write(
        `state rebuilt: ${res.kept} record(s) kept of ${res.records}` +
          (res.duplicates ? `, ${res.duplicates} duplicate Uri(s) ignored` : '') +
          ` (the whole of oss://${config.source.bucket}/, whose state every prefix shares)\n`,
      );
    } finally {
      await services.close();
    }
  });
  return cmd;
}
