// `oss-pai-sync state rebuild`: rebuild the binding's Redis state from its target's records.
import { Command } from 'commander';
import { immTarget, immTargetId } from '../../sinks/imm/binding-target.ts';
import { sinkFor } from '../../sinks/sink-for.ts';
import { rebuildState } from '../../sync/state-rebuild.ts';
import { resolveDatasetId, toRunBinding } from '../../runs/start-run.ts';
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
    if (!imm && !config.target.datasetId) throw new Error('state rebuild needs --dataset-id');
    const services = await openServices(config.redis);
    try {
      // IMM files are named by URI: the dataset is read as it is (never created here).
      const datasetId = imm
        ? immTargetId(config.target)
        : await resolveDatasetId(
            services,
            await services.makeDatasetApi(
              { ...config.target, datasetId: config.target.datasetId! },
              config.source,
            ),
            config,
          );
      const binding = toRunBinding(config, datasetId);
      const { sink } = await sinkFor(services, binding);
      // No API call counts against a run here: the guard lets every call through.
      const res = await rebuildState(
        services,
        binding,
        sink.list(async () => {}),
      );
      process.stdout.write(
        `state rebuilt: ${res.kept} record(s) kept of ${res.records}` +
          (res.duplicates ? `, ${res.duplicates} duplicate Uri(s) ignored` : '') +
          (res.outside
            ? `, ${res.outside} outside oss://${config.source.bucket}/${config.source.prefix}`
            : '') +
          '\n',
      );
    } finally {
      await services.close();
    }
  });
  return cmd;
}
