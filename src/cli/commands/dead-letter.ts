// `oss-pai-sync dead-letter list|requeue`: items PAI rejected or that kept failing, with PAI's reason.
import { queuePrefixOption, redisUrlOption } from '../flags.ts';
import { Command } from 'commander';
import { requeueDeadLetters } from '../../runs/requeue.ts';
import { openServices, redisTargetFromFlags } from '../runtime.ts';

const redisFlags = (c: Command) => c.addOption(redisUrlOption()).addOption(queuePrefixOption());

export function deadLetterCommand(): Command {
  const cmd = new Command('dead-letter').description('inspect or requeue items that could not be delivered');
  redisFlags(
    cmd
      .command('list')
      .description('list dead-lettered items with the reason PAI gave')
      .option('--json', 'one JSON object per line')
      .option('--limit <n>', 'at most this many', '100'),
  ).action(async (o: { json?: boolean; limit: string; redisUrl?: string; queuePrefix?: string }) => {
    const services = await openServices(redisTargetFromFlags(o), { needCredentials: false });
    try {
      const total = await services.dead.count();
      const items = await services.dead.list(0, Number(o.limit));
      if (o.json) for (const d of items) process.stdout.write(`${JSON.stringify(d)}\n`);
      else {
        process.stdout.write(
          `${total} dead-lettered item(s)${total > items.length ? `, showing ${items.length}` : ''}\n`,
        );
        for (const d of items) {
          process.stdout.write(
            `${new Date(d.at).toISOString()} run ${d.runId} ${d.item.op} ${JSON.stringify(d.item.key)}: ${d.reason}\n`,
          );
        }
      }
    } finally {
      await services.close();
    }
  });
  redisFlags(
    cmd
      .command('requeue')
      .description('move dead-lettered items back into the sync queue (a worker must be running)')
      .option('--limit <n>', 'at most this many', '10000'),
  ).action(async (o: { limit: string; redisUrl?: string; queuePrefix?: string }) => {
    const services = await openServices(redisTargetFromFlags(o), { needCredentials: false });
    try {
      const runs = await requeueDeadLetters(services, Number(o.limit));
      if (runs.length === 0) process.stdout.write('nothing to requeue\n');
      for (const r of runs) process.stdout.write(`requeued ${r.items} item(s) as run ${r.runId}\n`);
    } finally {
      await services.close();
    }
  });
  return cmd;
}
