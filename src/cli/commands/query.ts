// `oss-pai-sync query EXPR`: run a QueryExpression against the binding's dataset and print the records.
import { Command } from 'commander';
import { knownDatasetId, toRunBinding } from '../../runs/start-run.ts';
import { formatTable } from '../../query/format-table.ts';
import { QueryError, queryRecords } from '../../query/query-records.ts';
import { immTarget } from '../../sinks/imm/binding-target.ts';
import { UsageError } from '../fail.ts';
import { addBindingFlags, addVerbFlags, configFromCommand } from '../flags.ts';
import { openServices } from '../runtime.ts';

export function queryCommand(): Command {
  const cmd = new Command('query')
    .description(
      'print the dataset records a QueryExpression selects, e.g. "FileType=\'image\' AND DataSize > 1000"',
    )
    .argument('<expression>', 'QueryExpression (the ListDatasetFileMetas DSL)')
    .option('--json', 'print one JSON array of the records, every field')
    .option('--ndjson', 'print one JSON object per line, every field');
  addVerbFlags(cmd, 'query');
  addBindingFlags(cmd);
  cmd.action(async (expression: string) => {
    const o = cmd.opts() as { limit: number; json?: boolean; ndjson?: boolean };
    const limit = o.limit;
    if (o.json && o.ndjson) throw new UsageError('give --json or --ndjson, not both');
    const config = configFromCommand(cmd);
    if (immTarget(config.target)) {
      throw new UsageError(
        "query runs PAI's QueryExpression DSL and does not read IMM datasets; for an IMM binding use IMM's SimpleQuery (e.g. aliyun imm SimpleQuery) or `oss-pai-sync verify` to compare it with the bucket",
      );
    }
    const services = await openServices({
      url: config.redis.url,
      prefix: config.redis.prefix,
      cluster: config.redis.cluster,
    });
    try {
      const datasetId = await knownDatasetId(services, config);
      if (!datasetId)
        throw new UsageError('query needs --dataset-id (or the --dataset-name of a dataset a sync created)');
      const binding = toRunBinding(config, datasetId);
      const api = await services.makeDatasetApi(binding.target, binding.source);
      const rows = queryRecords(api, binding.target, expression, limit);
      try {
        if (o.ndjson) {
          // Streamed: a large result never sits in memory.
          for await (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        const all: Record<string, unknown>[] = [];
        for await (const r of rows) all.push(r);
        process.stdout.write(o.json ? `${JSON.stringify(all)}\n` : `${formatTable(all)}\n`);
        if (!o.json) process.stderr.write(`${all.length} record(s)\n`);
      } catch (err) {
        throw err instanceof QueryError ? new UsageError(err.message) : err;
      }
    } finally {
      await services.close();
    }
  });
  return cmd;
}
