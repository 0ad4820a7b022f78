// `oss-pai-sync run pause|resume|cancel RUNID`.
import { addRedisFlags, redisFromCommand } from '../flags.ts';
import { Command } from 'commander';
import { controlRun } from '../../runs/control.ts';
import { openServices } from '../runtime.ts';

export function runCommand(): Command {
  const cmd = new Command('run').description('control a run: pause, resume or cancel it');
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    const sub = cmd.command(action);
    addRedisFlags(sub)
      .argument('<runId>')
      .description(
        action === 'pause'
          ? 'pause: jobs of the run wait until resumed'
          : action === 'resume'
            ? 'resume a paused run'
            : 'cancel: remaining jobs are dropped, nothing is deleted',
      )
      .action(async (runId: string) => {
        const services = await openServices(redisFromCommand(sub), { needCredentials: false });
        try {
          const status = await controlRun(services, runId, action);
          process.stdout.write(`run ${runId}: ${status}\n`);
        } finally {
          await services.close();
        }
      });
  }
  return cmd;
}
