// `oss-pai-sync state rebuild`: rebuild the binding's Redis state from ListDatasetFileMetas.
import { Command } from 'commander';
import { rebuildState, type RebuildResult } from '../../sync/state-rebuild.ts';
import { rebuildStateFromRecords } from '../../sync/state-rebuild-from-sink.ts';
import { immTarget, immTargetId } from '../../sinks/imm/binding-target.ts';
import { createImmSink } from '../../sinks/imm/imm-sink.ts';
import { ApiGate } from '../../queue/api-gate.ts';
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
      let res: RebuildResult;
      if (imm) {
        // IMM files are named by URI: the dataset is read as it is (never created here).
        const binding = toRunBinding(config, immTargetId(config.target));
        const sink = createImmSink({
          api: await services.makeImmApi(binding.target, binding.source),
          target: imm,
          gate: new ApiGate(services.redis, services.keys.gate(`imm-rebuild|${imm.project}`), {
            rps: config.options.apiRps,
            concurrency: 1,
          }),
          bucket: config.source.bucket,
          batchMaxItems: config.options.batchMaxItems,
        });
        res = await rebuildStateFromRecords(
          services,
          binding,
          sink.list(async () => {}),
        );
      } else {
        const api = await services.makeDatasetApi(
          { ...config.target, datasetId: config.target.datasetId! },
          config.source,
        );
        const datasetId = await resolveDatasetId(services, api, config);
        res = await rebuildState(services, api, toRunBinding(config, datasetId));
      }
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
