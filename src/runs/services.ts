// Wires the product together for one process: Redis, queues, stores and the SDK adapters. The CLI verbs,
// the worker entry point, the demo and the integration tests all build the same thing through this.
import { Queue } from 'bullmq';
import type { CredentialSource } from '../config/credentials.ts';
import { createRedis, type RedisClient } from '../queue/connection.ts';
import { Keys, QUEUE_CONTROL, QUEUE_SCAN, QUEUE_SYNC } from '../queue/keys.ts';
import type { ControlJobData, ScanJobData, SyncJobData } from '../queue/payloads.ts';
import type { Adapters, WorkerDeps } from '../sync/context.ts';
import { instrumentAdapters, instrumentRunStore } from '../telemetry/instrument.ts';
import { createLogger, type Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { DeadLetterStore } from './dead-letter.ts';
import { RunStore } from './run-store.ts';

export interface ServicesOptions {
  redisUrl: string;
  /** The URL(s) are seed nodes of a Redis Cluster. */
  redisCluster?: boolean;
  prefix: string;
  credentials: CredentialSource;
  logger?: Logger;
  maxQueuedSyncJobs?: number;
  /** Replace the SDK adapters (the demo and tests keep the real ones; a benchmark may count calls). */
  adapters?: Adapters;
  /** Where API calls, run counters and run ends are reported (Prometheus); nothing when absent. */
  metrics?: Metrics;
}

export interface Services extends WorkerDeps {
  close(): Promise<void>;
}

// The SDK clients are imported on first use, not at start-up: ali-oss, openapi-core and their dependencies
// are about 17 MB of RSS and 0.4 s of loading that an idle worker, a control-only worker or a verb that
// never talks to the cloud does not need (see bench/BENCHMARKS.md, "Idle worker RSS").
export function realAdapters(credentials: CredentialSource): Adapters {
  return {
    makeObjectStore: async (source) =>
      (await import('../oss/ali-oss-store.ts')).createAliOssStore({
        bucket: source.bucket,
        region: source.region,
        ...(source.endpoint ? { endpoint: source.endpoint } : {}),
        pathStyle: source.pathStyle,
        credentials,
      }),
    makeDatasetApi: async (target, source) =>
      (await import('../pai/openapi-dataset-api.ts')).createOpenApiDatasetApi({
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        region: source.region,
        protocol: target.protocol,
        credentials,
      }),
    makeImmApi: async (target, source) =>
      (await import('../imm/openapi-imm-api.ts')).createOpenApiImmApi({
        ...(target.immEndpoint ? { endpoint: target.immEndpoint } : {}),
        region: source.region,
        protocol: target.immProtocol,
        credentials,
      }),
  };
}

export function createServices(opts: ServicesOptions): Services {
  const redis: RedisClient = createRedis({ url: opts.redisUrl, cluster: opts.redisCluster ?? false });
  redis.on('error', () => {
    // Reconnects are handled by ioredis; the fail-fast check (checkRedis) reports unreachable Redis once.
  });
  const keys = new Keys(opts.prefix);
  const logger = opts.logger ?? createLogger();
  const queueOpts = { connection: redis, prefix: opts.prefix, streams: { events: { maxLen: 1000 } } };
  const scanQueue = new Queue<ScanJobData>(QUEUE_SCAN, queueOpts);
  const syncQueue = new Queue<SyncJobData>(QUEUE_SYNC, queueOpts);
  const controlQueue = new Queue<ControlJobData>(QUEUE_CONTROL, queueOpts);
  const base = opts.adapters ?? realAdapters(opts.credentials);
  const adapters = opts.metrics ? instrumentAdapters(base, opts.metrics) : base;
  const runs = new RunStore(redis, keys);
  return {
    ...adapters,
    redis,
    keys,
    runs: opts.metrics ? instrumentRunStore(runs, opts.metrics) : runs,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    dead: new DeadLetterStore(redis, keys),
    scanQueue,
    syncQueue,
    controlQueue,
    logger,
    maxQueuedSyncJobs: opts.maxQueuedSyncJobs ?? 200,
    async close() {
      await Promise.all([scanQueue.close(), syncQueue.close(), controlQueue.close()]);
      redis.disconnect();
    },
  };
}
