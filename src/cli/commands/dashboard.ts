// `oss-pai-sync dashboard`: Bull Board for the queues plus a runs page and the dead letters.
import { Command } from 'commander';
import { startDashboard } from '../../dashboard/server.ts';
import { addRedisFlags, addVerbFlags, redisFromCommand } from '../flags.ts';
import { onShutdown, openServices } from '../runtime.ts';

export function dashboardCommand(): Command {
  const cmd = new Command('dashboard').description(
    'serve a web dashboard: recent runs (progress, ETA), dead letters, and Bull Board for the queues',
  );
  addVerbFlags(cmd, 'dashboard');
  addRedisFlags(cmd);
  return cmd.action(async (o: { host: string; port: number }) => {
    const services = await openServices(redisFromCommand(cmd), { needCredentials: false });
    const dash = await startDashboard(services, { host: o.host, port: o.port }).catch(async (err: Error) => {
      await services.close();
      throw new Error(`dashboard: cannot listen on ${o.host}:${o.port}: ${err.message}`);
    });
    process.stderr.write(`dashboard on ${dash.url}/ (queues: ${dash.url}/queues/)\n`);
    onShutdown(async () => {
      await dash.close();
      await services.close();
    });
  });
}
