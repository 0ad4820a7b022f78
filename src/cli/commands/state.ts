// `oss-pai-sync state rebuild`: rebuild the binding's Redis state from ListDatasetFileMetas.
import { Command } from 'commander';
import { rebuildState } from '../../sync/state-rebuild.ts';
import { resolveDatasetId, toRunBinding } from '../../runs/start-run.ts';
import { addBindingFlags, configFromCommand } from '../flags.ts';
import { openServices } from '../runtime.ts';

export function stateCommand(): Command {
  const cmd = new Command('state').description('manage the Redis state that makes incremental runs cheap');
  const rebuild = cmd
    .command('rebuild')
    .description(
      'rebuild the state of a binding from the dataset records (ListDatasetFileMetas), e.g. after Redis lost it',
    );
  addBindingFlags(rebuild);
  rebuild.action(async () => {
    const config = configFromCommand(rebuild);
    if (!config.target.datasetId) throw new Error('state rebuild needs --dataset-id');
    const services = await openServices({ url: config.redis.url, prefix: config.redis.prefix });
    try {
      const api = await services.makeDatasetApi(
        { ...config.target, datasetId: config.target.datasetId },
        config.source,
      );
      const datasetId = await resolveDatasetId(services, api, config);
      const res = await rebuildState(services, api, toRunBinding(config, datasetId));
      process.stdout.write(
        `state rebuilt: ${res.kept} record(s) kept of ${res.records}` +
          (res.duplicates ? `, ${res.duplicates} duplicate Uri(s) ignored` : '') +
          (res.outside ? `, ${res.outside} outside oss://${config.source.bucket}/` : '') +
          '\n',
      );
    } finally {
      await services.close();
    }
  });
  return cmd;
}
