// `oss-pai-sync events serve`: the HTTP receiver for OSS event notifications (MNS or EventBridge).
import { queuePrefixOption, redisUrlOption } from '../flags.ts';
import { Command } from 'commander';
import { buildConfig, readConfigFile, type FlatConfig } from '../../config/load.ts';
import { startEventServer } from '../../triggers/events/index.ts';
import { createEventSink, type EventBinding } from '../../triggers/event-sink.ts';
import { startWorkers } from '../../sync/workers.ts';
import { UsageError } from '../fail.ts';
import { onShutdown, openServices, redisTargetFromFlags } from '../runtime.ts';

/** A config file holds one binding, or `bindings: [...]` whose entries inherit the top-level values. */
export function bindingsFromFile(file: string): EventBinding[] {
  const raw = readConfigFile(file);
  const { bindings, ...common } = raw as FlatConfig & { bindings?: unknown };
  const list = Array.isArray(bindings)
    ? (bindings as FlatConfig[]).map((b) => ({ ...common, ...b }))
    : [common];
  return list.map((flat) => ({ flat, config: buildConfig(flat, {}, {}) }));
}

export function eventsCommand(): Command {
  const cmd = new Command('events').description('sync right after uploads: receive OSS event notifications');
  cmd
    .command('serve')
    .description('HTTP receiver: POST /events (MNS JSON/base64 or EventBridge CloudEvents), GET /healthz')
    .requiredOption('--config <file>', 'binding(s): one binding, or `bindings: [...]` (YAML or JSON)')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--port <n>', 'port', '8080')
    .option(
      '--secret-env <name>',
      'environment variable that holds the shared HMAC secret',
      'OSS_PAI_SYNC_EVENTS_SECRET',
    )
    .option('--allow-unauthenticated', 'accept unsigned requests (only behind a trusted network boundary)')
    .option('--debounce-ms <ms>', 'group the events of a binding over this window', '1000')
    .option('--no-work', 'only receive and queue; leave the syncing to separate `worker` processes')
    .addOption(redisUrlOption('(default: the config file, then $REDIS_URL)'))
    .addOption(queuePrefixOption())
    .action(
      async (o: {
        config: string;
        host: string;
        port: string;
        secretEnv: string;
        allowUnauthenticated?: boolean;
        debounceMs: string;
        work: boolean;
        redisUrl?: string;
        queuePrefix?: string;
      }) => {
        const bindings = bindingsFromFile(o.config);
        const first = bindings[0]!.config;
        const secret = process.env[o.secretEnv];
        if (!secret && !o.allowUnauthenticated) {
          throw new UsageError(
            `set the shared secret in $${o.secretEnv} (or pass --allow-unauthenticated behind a trusted boundary)`,
          );
        }
        const services = await openServices(
          redisTargetFromFlags({
            redisUrl: o.redisUrl ?? first.redis.url,
            queuePrefix: o.queuePrefix ?? first.redis.prefix,
          }),
        );
        const workers = o.work ? startWorkers(services) : undefined;
        const server = await startEventServer({
          host: o.host,
          port: Number(o.port),
          secret,
          allowUnauthenticated: !!o.allowUnauthenticated,
          sink: createEventSink(services, bindings, Number(o.debounceMs)),
          logger: services.logger,
          health: async () => ({ ok: (await services.redis.ping()) === 'PONG' }),
        });
        process.stderr.write(
          `events receiver on ${server.url} (${bindings.length} binding(s), auth ${secret ? 'on' : 'OFF'})\n`,
        );
        onShutdown(async () => {
          await server.close();
          await workers?.close();
          await services.close();
        });
      },
    );
  return cmd;
}
