// `oss-pai-sync events serve`: the HTTP receiver for OSS event notifications (MNS or EventBridge).
import { addRedisFlags, addVerbFlags, flagValues } from '../flags.ts';
import { Command } from 'commander';
import { buildConfig, loadRedisConfig, readConfigFile, type FlatConfig } from '../../config/load.ts';
import { startEventServer } from '../../triggers/events/index.ts';
import { createEventSink, type EventBinding } from '../../triggers/event-sink.ts';
import { startWorkers } from '../../sync/workers.ts';
import { UsageError } from '../fail.ts';
import { createPrometheusMetrics } from '../../telemetry/prometheus.ts';
import { onShutdown, openServices } from '../runtime.ts';

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
  const serve = cmd
    .command('serve')
    .description('HTTP receiver: POST /events (MNS JSON/base64 or EventBridge CloudEvents), GET /healthz')
    .requiredOption('--config <file>', 'binding(s): one binding, or `bindings: [...]` (YAML or JSON)')
    .option(
      '--secret-env <name>',
      'environment variable that holds the shared HMAC secret',
      'OSS_PAI_SYNC_EVENTS_SECRET',
    )
    .option('--allow-unauthenticated', 'accept unsigned requests (only behind a trusted network boundary)')
    .option('--no-work', 'only receive and queue; leave the syncing to separate `worker` processes');
  addVerbFlags(serve, 'events serve');
  // Redis flags win over the first binding's redisUrl/queuePrefix (the --config above is the bindings file).
  addRedisFlags(serve, { config: false });
  serve.action(
    async (o: {
      config: string;
      host: string;
      port: number;
      secretEnv: string;
      allowUnauthenticated?: boolean;
      debounceMs: number;
      replayWindowS?: number;
      maxClockSkewS?: number;
      controlConcurrency: number;
      work: boolean;
    }) => {
      const bindings = bindingsFromFile(o.config);
      const first = bindings[0]!.config;
      const secret = process.env[o.secretEnv];
      if (!secret && !o.allowUnauthenticated) {
        throw new UsageError(
          `set the shared secret in $${o.secretEnv} (or pass --allow-unauthenticated behind a trusted boundary)`,
        );
      }
      const redisFlags = flagValues(serve);
      const prom = createPrometheusMetrics();
      const services = await openServices(
        loadRedisConfig({
          flags: {
            redisUrl: redisFlags.redisUrl ?? first.redis.url,
            queuePrefix: redisFlags.queuePrefix ?? first.redis.prefix,
            redisCluster: redisFlags.redisCluster ?? first.redis.cluster,
          },
        }),
        { metrics: prom.metrics, defaultLogLevel: 'info' },
      );
      prom.watch({
        queues: [services.scanQueue, services.syncQueue, services.controlQueue],
        deadLetters: () => services.dead.count(),
      });
      const workers = o.work
        ? startWorkers(services, { controlConcurrency: o.controlConcurrency })
        : undefined;
      const server = await startEventServer({
        host: o.host,
        port: o.port,
        secret,
        allowUnauthenticated: !!o.allowUnauthenticated,
        ...(o.replayWindowS !== undefined ? { replayWindowS: o.replayWindowS } : {}),
        sink: createEventSink(services, bindings, o.debounceMs),
        logger: services.logger,
        metrics: { render: () => prom.render(), eventsReceived: prom.metrics.eventsReceived },
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
