// `oss-pai-sync schedule add|list|remove`: cron runs of a binding, worked by `oss-pai-sync worker`.
import { Command } from 'commander';
import { addRedisFlags, flagValues, redisFromCommand } from '../flags.ts';
import { loadRedisConfig, readConfigFile } from '../../config/load.ts';
import { addSchedule, listSchedules, removeSchedule } from '../../triggers/schedules.ts';
import { addBindingFlags } from '../flags.ts';
import { openServices } from '../runtime.ts';

export function scheduleCommand(): Command {
  const cmd = new Command('schedule').description(
    'cron schedules (BullMQ job schedulers); a running `worker` starts the runs',
  );
  const add = cmd
    .command('add')
    .description('add or replace a schedule')
    .argument('<name>')
    .requiredOption('--cron <expr>', 'cron expression (5 fields, or 6 with seconds), e.g. "0 */6 * * *"')
    .option('--tz <zone>', 'IANA time zone, e.g. Asia/Shanghai (default UTC)');
  addBindingFlags(add);
  add.action(async (name: string) => {
    const o = add.opts() as {
      cron: string;
      tz?: string;
      config?: string;
      redisUrl?: string;
      queuePrefix?: string;
    };
    const values = { ...(o.config ? readConfigFile(o.config) : {}), ...flagValues(add) };
    const services = await openServices(loadRedisConfig({ flags: values }), { needCredentials: false });
    try {
      const s = await addSchedule(services.controlQueue, name, o.cron, o.tz ?? 'UTC', values);
      process.stdout.write(
        `schedule ${s.name}: ${s.cron} (${s.tz}) ${s.source}${s.next ? `, next ${s.next}` : ''}\n`,
      );
    } finally {
      await services.close();
    }
  });
  const list = cmd.command('list').description('list schedules').option('--json', 'print JSON');
  addRedisFlags(list).action(async (o: { json?: boolean }) => {
    const services = await openServices(redisFromCommand(list), { needCredentials: false });
    try {
      const list = await listSchedules(services.controlQueue);
      if (o.json) process.stdout.write(`${JSON.stringify(list)}\n`);
      else if (list.length === 0) process.stdout.write('no schedules\n');
      else
        for (const s of list)
          process.stdout.write(
            `${s.name}\t${s.cron}\t${s.tz ?? 'UTC'}\t${s.source ?? ''}\tnext ${s.next ?? '-'}\n`,
          );
    } finally {
      await services.close();
    }
  });
  const remove = cmd.command('remove').description('remove a schedule').argument('<name>');
  addRedisFlags(remove).action(async (name: string) => {
    const services = await openServices(redisFromCommand(remove), { needCredentials: false });
    try {
      const removed = await removeSchedule(services.controlQueue, name);
      process.stdout.write(removed ? `schedule ${name} removed\n` : `no schedule ${name}\n`);
      if (!removed) process.exitCode = 1;
    } finally {
      await services.close();
    }
  });
  return cmd;
}
