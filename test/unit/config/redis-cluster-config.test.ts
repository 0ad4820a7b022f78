// The Redis Cluster switch in the config: flag/file key/environment, and several URLs only as cluster seeds.
import { expect, it } from 'vitest';
import { buildConfig, ConfigError, type FlatConfig } from '../../../src/config/load.ts';

const MINIMAL: FlatConfig = { bucket: 'my-bucket', workspaceId: 'ws-1', datasetId: 'd-1' };

function problemsOf(file: FlatConfig, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    buildConfig(file, {}, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected buildConfig to throw a ConfigError');
}

it('is off by default, on from the file key, the flag or REDIS_CLUSTER', () => {
  expect(buildConfig(MINIMAL, {}, {}).redis.cluster).toBe(false);
  expect(buildConfig({ ...MINIMAL, redisCluster: true }, {}, {}).redis.cluster).toBe(true);
  expect(buildConfig(MINIMAL, { redisCluster: true }, {}).redis.cluster).toBe(true);
  expect(buildConfig(MINIMAL, {}, { REDIS_CLUSTER: '1' }).redis.cluster).toBe(true);
  expect(buildConfig(MINIMAL, {}, { REDIS_CLUSTER: 'false' }).redis.cluster).toBe(false);
  // The file says no: the environment does not override it.
  expect(buildConfig({ ...MINIMAL, redisCluster: false }, {}, { REDIS_CLUSTER: '1' }).redis.cluster).toBe(
    false,
  );
});

it('accepts comma-separated seed URLs with the cluster switch', () => {
  const c = buildConfig(
    { ...MINIMAL, redisUrl: 'redis://a:7000, redis://b:7001', redisCluster: true },
    {},
    {},
  );
  expect(c.redis).toMatchObject({ url: 'redis://a:7000, redis://b:7001', cluster: true });
});

it('refuses several URLs without the cluster switch, and any part without a redis scheme', () => {
  const many = problemsOf({ ...MINIMAL, redisUrl: 'redis://a:7000,redis://b:7001' });
  expect(many).toHaveLength(1);
  expect(many[0]).toMatch(/^redisUrl \(--redis-url\): several URLs .* add --redis-cluster/);
  const bad = problemsOf({ ...MINIMAL, redisUrl: 'redis://a:7000,b:7001', redisCluster: true });
  expect(bad).toHaveLength(1);
  expect(bad[0]).toMatch(/^redisUrl \(--redis-url\): must start with redis:\/\//);
});

it('says which value of REDIS_CLUSTER it cannot read', () => {
  const problems = problemsOf(MINIMAL, { REDIS_CLUSTER: 'maybe' });
  expect(problems).toEqual([
    expect.stringMatching(/^redisCluster \(--redis-cluster\): expected true or false, got "maybe"/),
  ]);
});
