// `oss-pai-sync status [RUNID]`: one run's report, or the recent runs.
import { addRedisFlags, addVerbFlags, redisFromCommand } from '../flags.ts';
import { Command } from 'commander';
import { buildReport, formatReport } from '../../runs/report.ts';
import { UsageError } from '../fail.ts';
import { openServices } from '../runtime.ts';

export function statusCommand(): Command {
  const cmd = new Command('status')
    .description('show a run (counters, status, progress) or the most recent runs')
    .argument('[runId]')
    .option('--json', 'print JSON');
  addVerbFlags(cmd, 'status');
  addRedisFlags(cmd);
  return cmd.action(async (runId: string | undefined, o: { json?: boolean; limit: number }) => {
    const services = await openServices(redisFromCommand(cmd), { needCredentials: false });
    try {
      const ids = runId ? [runId] : await services.runs.list(o.limit);
      const reports = [];
      for (const id of ids) {
        const run = await services.runs.get(id);
        if (!run) throw new UsageError(`no run ${id} (list recent runs with: oss-pai-sync status)`);
        reports.push(buildReport(run));
      }
      if (o.json) process.stdout.write(`${JSON.stringify(runId ? reports[0] : reports)}\n`);
      else if (reports.length === 0) process.stdout.write('no runs yet\n');
      else process.stdout.write(`${reports.map(formatReport).join('\n\n')}\n`);
    } finally {
      await services.close();
    }
  });
}
