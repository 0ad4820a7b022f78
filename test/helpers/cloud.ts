// A local cloud per test: both emulators, a bucket, services on a unique Redis prefix, optional workers.
import type { FlatConfig } from '../../src/config/load.ts';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../src/demo/local-cloud.ts';
import { resolveDatasetId, startRun, toRunBinding } from '../../src/runs/start-run.ts';
import { waitForRun } from '../../src/runs/wait.ts';
import type { RunRecord } from '../../src/runs/run-types.ts';
import { startWorkers, type WorkerPool, type WorkerPoolOptions } from '../../src/sync/workers.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { redisUrl, uniquePrefix } from './redis.ts';

export interface TestCloud extends LocalCloud {
  workers?: WorkerPool;
  startWorkers(opts?: WorkerPoolOptions): WorkerPool;
  /** Resolves (creating on first use) the dataset for `extra` and runs one sync to the end. */
  sync(extra?: FlatConfig, timeoutMs?: number): Promise<RunRecord>;
  datasetId(extra?: FlatConfig): Promise<string>;
  cleanup(): Promise<void>;
}

export async function testCloud(opts: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const prefix = opts.prefix ?? uniquePrefix('sync');
  const cloud = await startLocalCloud({
    redisUrl: redisUrl(),
    prefix,
    bucket: 'test-bucket',
    logger: silentLogger(),
    ...opts,
  });
  const pools: WorkerPool[] = [];
  const self: TestCloud = {
    ...cloud,
    startWorkers(o = {}) {
      const p = startWorkers(cloud.services, { retryBaseMs: 50, retryCapMs: 500, ...o });
      pools.push(p);
      self.workers = p;
      return p;
    },
    async datasetId(extra = {}) {
      const config = cloud.config({ datasetName: 'test-dataset', ...extra });
      const api = await cloud.services.makeDatasetApi({ ...config.target, datasetId: '' }, config.source);
      return resolveDatasetId(cloud.services, api, config);
    },
    async sync(extra = {}, timeoutMs = 180_000) {
      const config = cloud.config({ datasetName: 'test-dataset', ...extra });
      const id = await self.datasetId(extra);
      const runId = await startRun(cloud.services, toRunBinding(config, id));
      return waitForRun(cloud.services.runs, runId, { timeoutMs, pollMs: 50 });
    },
    async cleanup() {
      await Promise.all(pools.map((p) => p.close()));
      const redis = cloud.services.redis;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      await cloud.close();
    },
  };
  return self;
}

export function writeCalls(cloud: LocalCloud): number {
  const c = cloud.pai.stats.calls;
  return (c.CreateDatasetFileMetas ?? 0) + (c.UpdateDatasetFileMetas ?? 0) + (c.DeleteDatasetFileMetas ?? 0);
}

/** The CLI flags that point a verb at this cloud (endpoints, workspace, Redis); add the dataset flags. */
export function bindingFlags(c: TestCloud): string[] {
  const f = c.flat();
  return [
    ...['--bucket', String(f.bucket), '--oss-endpoint', String(f.ossEndpoint)],
    ...[
      '--pai-endpoint',
      String(f.paiEndpoint),
      '--pai-protocol',
      'http',
      '--workspace-id',
      String(f.workspaceId),
    ],
    ...['--redis-url', String(f.redisUrl), '--queue-prefix', String(f.queuePrefix)],
    ...(f.redisCluster ? ['--redis-cluster'] : []),
  ];
}
