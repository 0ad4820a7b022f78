// Connection options decided once: URL lists, cluster seeds (credentials and TLS for every node), env switches.
import { Cluster, Redis } from 'ioredis';
import { expect, it } from 'vitest';
import {
  clusterOptions,
  clusterSeeds,
  createRedis,
  envFlag,
  RedisUnavailableError,
  splitRedisUrls,
} from '../../../src/queue/connection.ts';

it('splits comma-separated URLs, trimming and dropping empty parts', () => {
  expect(splitRedisUrls('redis://a:1')).toEqual(['redis://a:1']);
  expect(splitRedisUrls(' redis://a:1 , redis://b:2,,')).toEqual(['redis://a:1', 'redis://b:2']);
});

it.each([
  ['1', true],
  ['true', true],
  ['YES', true],
  ['on', true],
  ['0', false],
  ['false', false],
  ['', false],
  [undefined, false],
])('envFlag(%s) is %s', (v, expected) => {
  expect(envFlag(v)).toBe(expected);
});

it('takes seeds from every URL and credentials/TLS from the first URL that has them', () => {
  const { seeds, nodeOptions } = clusterSeeds(
    'redis://10.0.0.1:7000,rediss://u%40x:p%2Fw@[::1]:7001,redis://h',
  );
  expect(seeds).toEqual([
    { host: '10.0.0.1', port: 7000 },
    { host: '::1', port: 7001 },
    { host: 'h', port: 6379 },
  ]);
  expect(nodeOptions).toEqual({ username: 'u@x', password: 'p/w', tls: {} });
});

it('creates a single-node client, or a cluster client for seeds, without connecting (lazy)', () => {
  const single = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
  expect(single).toBeInstanceOf(Redis);
  single.disconnect();
  const cluster = createRedis(
    { url: 'redis://127.0.0.1:1,redis://127.0.0.1:2', cluster: true },
    { lazyConnect: true },
  );
  expect(cluster).toBeInstanceOf(Cluster);
  cluster.disconnect();
});

it('refuses several URLs for a single-node client', () => {
  expect(() => createRedis({ url: 'redis://a:1,redis://b:2', cluster: false })).toThrow(
    RedisUnavailableError,
  );
  expect(() => createRedis({ url: 'redis://a:1,redis://b:2', cluster: false })).toThrow(
    /add --redis-cluster/,
  );
});

it('gives every cluster node the options BullMQ needs and the credentials of the seeds', () => {
  const o = clusterOptions('redis://:secret@a:7000,redis://b:7001');
  expect(o.redisOptions).toMatchObject({ maxRetriesPerRequest: null, password: 'secret' });
});
