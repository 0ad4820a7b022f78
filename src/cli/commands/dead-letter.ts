// `oss-pai-sync dead-letter list|requeue`: items PAI rejected or that kept failing, with PAI's reason.
import { addRedisFlags, addVerbFlags, redisFromCommand } from '../flags.ts';
import { Command } from 'commander';
import { requeueDeadLetters } from '../../runs/requeue.ts';
import { openServices } from '../runtime.ts';

export function deadLetterCommand(): Command {
  const cmd = new Command('dead-letter').description('inspect or requeue items that could not be delivered');
  const list = cmd
    .command('list')
    .description('list dead-lettered items with the reason PAI gave')
    .option('--json', 'one JSON object per line');
  addVerbFlags(list, 'dead-letter list');
  addRedisFlags(list).action(async (o: { json?: boolean; limit: number }) => {
    const services = await openServices(redisFromCommand(list), { needCredentials: false });
    try {
      const total = await services.dead.count();
      const items = await services.dead.list(0, o.limit);
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
  const requeue = cmd
    .command('requeue')
    .description('move dead-lettered items back into the sync queue (a worker must be running)');
  addVerbFlags(requeue, 'dead-letter requeue');
  addRedisFlags(requeue).action(async (o: { limit: number }) => {
    const services = await openServices(redisFromCommand(requeue), { needCredentials: false });
    try {
      const runs = await requeueDeadLetters(services, o.limit);
      if (runs.length === 0) process.stdout.write('nothing to requeue\n');
      for (const r of runs) process.stdout.write(`requeued ${r.items} item(s) as run ${r.runId}\n`);
    } finally {
      await services.close();
    }
  });
  return cmd;
}
