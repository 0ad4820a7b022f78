// Shared start-up for the verbs that talk to Redis: fail fast with one clear line when Redis is unreachable.
import { defaultCredentials } from '../config/credentials.ts';
import { checkRedis } from '../queue/connection.ts';
import { createServices, type Services } from '../runs/services.ts';
import { createLogger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';

export interface RedisTarget {
  url: string;
  prefix: string;
  /** The URL(s) are seed nodes of a Redis Cluster (--redis-cluster). */
  cluster?: boolean;
}

export async function openServices(
  target: RedisTarget,
  opts: {
    needCredentials?: boolean;
    maxQueuedSyncJobs?: number;
    metrics?: Metrics;
    /** Level when $LOG_LEVEL is unset: 'info' for the long-running verbs (worker, events serve), else 'warn'. */
    defaultLogLevel?: string;
  } = {},
): Promise<Services> {
  await checkRedis({ url: target.url, cluster: target.cluster ?? false });
  // Verbs that only read Redis (status, dead-letter list) must not demand cloud credentials.
  const credentials = opts.needCredentials === false ? undefined : await defaultCredentials();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? opts.defaultLogLevel ?? 'warn' });
  return createServices({
    redisUrl: target.url,
    redisCluster: target.cluster ?? false,
    prefix: target.prefix,
    logger,
    ...(opts.maxQueuedSyncJobs !== undefined ? { maxQueuedSyncJobs: opts.maxQueuedSyncJobs } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    credentials: credentials ?? {
      client: undefined as never,
      get: async () => {
        throw new Error('this command does not use cloud credentials');
      },
    },
  });
}

export function onShutdown(fn: () => Promise<void>): void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\n${sig} again: exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\n${sig}: shutting down (press Ctrl-C again to force)\n`);
    void fn().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
