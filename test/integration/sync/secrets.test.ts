// STS credentials work end to end (security token sent and checked by both emulators), and no secret ends up
// in Redis: not in jobs, run records, state or dead letters.
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

const STS = {
  accessKeyId: 'STS.test-ak',
  accessKeySecret: 'sts-secret-value-9f2c1e',
  securityToken: 'sts-security-token-77ab10',
};

it('syncs with STS credentials and leaves no secret in Redis', async () => {
  cloud = await testCloud({ accessKey: STS, pai: { faults: { partialFailureRate: 0.2 } } });
  for (let i = 0; i < 300; i++) cloud.oss.store.putObject(cloud.bucket, `sts/${i}.txt`, `x${i}`);
  cloud.startWorkers();
  const run = await cloud.sync();
  expect(run.status).toBe('completed');
  const datasetId = await cloud.datasetId();
  expect(compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId }).ok).toBe(true);

  const redis = cloud.services.redis;
  const prefix = String(cloud.flat().queuePrefix);
  let cursor = '0';
  let scanned = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const dump =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await redis.hgetall(key))
            : type === 'list'
              ? JSON.stringify(await redis.lrange(key, 0, -1))
              : type === 'set'
                ? JSON.stringify(await redis.smembers(key))
                : type === 'zset'
                  ? JSON.stringify(await redis.zrange(key, 0, -1))
                  : type === 'stream'
                    ? JSON.stringify(await redis.xrange(key, '-', '+'))
                    : '';
      scanned++;
      expect(dump, key).not.toContain(STS.accessKeySecret);
      expect(dump, key).not.toContain(STS.securityToken);
    }
  } while (cursor !== '0');
  // Jobs, run records and state were there to look at.
  expect(scanned).toBeGreaterThan(5);
});

it('a wrong STS token is refused with a clear, fatal error', async () => {
  cloud = await testCloud({ accessKey: STS });
  cloud.oss.store.putObject(cloud.bucket, 'x.txt', 'x');
  // Services that present another token than the emulators accept.
  const { createServices } = await import('../../../src/runs/services.ts');
  const { staticCredentials } = await import('../../../src/config/credentials.ts');
  const bad = createServices({
    redisUrl: String(cloud.flat().redisUrl),
    prefix: `${String(cloud.flat().queuePrefix).slice(0, -1)}-bad}`,
    credentials: staticCredentials({ ...STS, securityToken: 'expired-token' }),
  });
  try {
    const config = cloud.config({ datasetName: 'x' });
    const api = await bad.makeDatasetApi({ ...config.target, datasetId: '' }, config.source);
    await expect(api.getDataset('d-none')).rejects.toThrow(/GetDataset: .*(Token|Security)/i);
  } finally {
    await bad.close();
  }
});
