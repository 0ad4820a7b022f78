// The one place that creates Redis connections: a single node (redis://host:port) or a Redis Cluster reached
// through seed nodes (--redis-cluster, several comma-separated URLs allowed). Everything else — queues, state,
// runs, schedules, events, probes — gets its client from here, so the options BullMQ needs and the cluster
// failover behaviour are decided once.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {}

/** Both connection kinds answer the same commands; code that needs the difference checks `isCluster`. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one URL, or for a cluster any number of comma-separated seed URLs. */
export interface RedisTarget {
  url: string;
  cluster: boolean;
}

export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/g, '//***@');
}

/** The comma-separated URLs of `--redis-url`, trimmed, empty parts dropped. */
export function splitRedisUrls(url: string): string[] {
  return url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
}

/** Environment switches read the way users write them: 1/true/yes/on. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

interface Seed {
  host: string;
  port: number;
}

/**
 * Seed nodes plus the connection options every node shares. A cluster announces its other nodes by address
 * only, so credentials and TLS must apply to all of them: they are taken from the first URL that has them.
 */
export function clusterSeeds(url: string): { seeds: Seed[]; nodeOptions: RedisOptions } {
  const seeds: Seed[] = [];
  const nodeOptions: RedisOptions = {};
  for (const raw of splitRedisUrls(url)) {
    const u = new URL(raw);
    seeds.push({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) });
    if (u.username && nodeOptions.username === undefined)
      nodeOptions.username = decodeURIComponent(u.username);
    if (u.password && nodeOptions.password === undefined)
      nodeOptions.password = decodeURIComponent(u.password);
    if (u.protocol === 'rediss:') nodeOptions.tls = {};
  }
  return { seeds, nodeOptions };
}

/**
 * Failover is left to ioredis's defaults on purpose: a command whose node died is retried for a second or two
 * (retryDelayOnFailover x maxRedirections) and then fails, the job that ran it fails and BullMQ retries it
 * (or the stalled-job check does), exactly as when a worker dies. A longer in-client retry window was tried
 * and measured worse: BullMQ's blocking fetch on a cluster connection could then wedge after a failover
 * (the worker stopped fetching and never closed).
 */
export function clusterOptions(url: string, extra: RedisOptions = {}): ClusterOptions {
  const { nodeOptions } = clusterSeeds(url);
  return {
    redisOptions: { maxRetriesPerRequest: null, ...nodeOptions, ...extra },
    slotsRefreshTimeout: 2_000,
    ...(extra.lazyConnect ? { lazyConnect: true } : {}),
  };
}

/** A connection with the options BullMQ requires (maxRetriesPerRequest: null: blocking commands wait). */
export function createRedis(url: string, extra?: RedisOptions): Redis;
export function createRedis(target: RedisTarget | string, extra?: RedisOptions): RedisClient;
export function createRedis(target: RedisTarget | string, extra: RedisOptions = {}): RedisClient {
  const t: RedisTarget = typeof target === 'string' ? { url: target, cluster: false } : target;
  if (t.cluster) return new Cluster(clusterSeeds(t.url).seeds, clusterOptions(t.url, extra));
  const urls = splitRedisUrls(t.url);
  if (urls.length !== 1) {
    throw new RedisUnavailableError(
      `--redis-url has ${urls.length} URLs; several URLs are the seed nodes of a Redis Cluster: add --redis-cluster.`,
    );
  }
  return new Redis(urls[0]!, { maxRetriesPerRequest: null, ...extra });
}

function versionProblem(info: string, where: string): string | undefined {
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '0';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 6 || (major === 6 && minor < 2))
    return `Redis at ${where} is version ${version}; oss-pai-sync needs Redis >= 6.2.`;
  return undefined;
}

/** Connects once with a short timeout, so a wrong URL or mode fails in seconds with one clear line. */
export async function checkRedis(target: RedisTarget | string, timeoutMs = 5_000): Promise<void> {
  const t: RedisTarget = typeof target === 'string' ? { url: target, cluster: false } : target;
  const where = redact(t.url);
  const probeOptions: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  };
  if (t.cluster) return checkCluster(t.url, where, probeOptions, timeoutMs);
  const probe = createRedis(t.url, probeOptions);
  let lastError: Error | undefined;
  probe.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await probe.connect();
    const info = await probe.info();
    const old = versionProblem(info, where);
    if (old) throw new RedisUnavailableError(old);
    if (/cluster_enabled:1/.test(info)) {
      throw new RedisUnavailableError(
        `Redis at ${where} is a Redis Cluster node: add --redis-cluster (or set REDIS_CLUSTER=1, or ` +
          'redisCluster: true in the config file).',
      );
    }
  } catch (err) {
    if (err instanceof RedisUnavailableError) throw err;
    // ioredis rejects with "Connection is closed"; the socket error (ECONNREFUSED, ENOTFOUND...) says more.
    const why = (lastError ?? (err as Error)).message.split('\n')[0];
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${where} (${why}). Start Redis or pass --redis-url / set REDIS_URL ` +
        '(redis://[user:password@]host:port, rediss:// for TLS).',
    );
  } finally {
    probe.disconnect();
  }
}

async function checkCluster(
  url: string,
  where: string,
  probeOptions: RedisOptions,
  timeoutMs: number,
): Promise<void> {
  const { seeds } = clusterSeeds(url);
  // A seed that is not a cluster node answers CLUSTER SLOTS with an error; ask it directly for a clear line.
  for (const seed of seeds) {
    const node = new Redis({ ...clusterOptions(url).redisOptions, ...probeOptions, ...seed });
    node.on('error', () => {});
    try {
      await node.connect();
      const info = await node.info();
      const old = versionProblem(info, `${seed.host}:${seed.port}`);
      if (old) throw new RedisUnavailableError(old);
      if (!/cluster_enabled:1/.test(info)) {
        throw new RedisUnavailableError(
          `Redis at ${seed.host}:${seed.port} is not a cluster node (cluster support disabled): ` +
            'drop --redis-cluster / REDIS_CLUSTER, or point --redis-url at the cluster.',
        );
      }
      const state = /cluster_state:(\w+)/.exec(await node.cluster('INFO'))?.[1];
      if (state !== 'ok') {
        throw new RedisUnavailableError(
          `Redis Cluster at ${where} reports cluster_state:${state ?? 'unknown'} (not every slot is served); ` +
            'fix the cluster (redis-cli --cluster check) and retry.',
        );
      }
      return;
    } catch (err) {
      if (err instanceof RedisUnavailableError) throw err;
      // This seed is down: another seed may answer.
    } finally {
      node.disconnect();
    }
  }
  throw new RedisUnavailableError(
    `Cannot reach any seed node of the Redis Cluster at ${where} (tried ${seeds.length}, ${timeoutMs} ms each). ` +
      'Check --redis-url (comma-separated seed URLs) or REDIS_URL.',
  );
}
