// The upload-event backlog against the real Redis: deduplicated, drained oldest first, claimed atomically,
// and a backlog left by the earlier plain-set layout converted in place.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventBacklog } from '../../../src/triggers/event-backlog.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let redis: Redis;
beforeAll(() => {
  redis = redisClient();
});
afterAll(async () => {
  await redis.quit();
});

const fresh = () => {
  const p = uniquePrefix('backlog');
  return { backlog: new EventBacklog(redis, `${p}:events`), claimKey: `${p}:events:claim:1` };
};

/** Arrival is Redis's clock in ms: wait until it has moved past `key`'s arrival, so the next add is later. */
async function afterArrivalOf(b: EventBacklog, key: string): Promise<void> {
  const at = Number(await redis.zscore(b.key, key));
  await waitFor(async () => {
    const [s, us] = await redis.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000) > at;
  });
}

it('drains the oldest keys first; a key added again keeps its first arrival', async () => {
  const { backlog, claimKey } = fresh();
  await backlog.add(['z-first']);
  await afterArrivalOf(backlog, 'z-first');
  await backlog.add(['m-second', 'a-second']);
  await afterArrivalOf(backlog, 'm-second');
  expect(await backlog.add(['b-third', 'z-first'])).toBe(4);
  expect(await backlog.claim(claimKey, 1, 60)).toEqual(['z-first']);
  // Same arrival: Redis orders ties by key.
  expect(await backlog.claim(`${claimKey}b`, 2, 60)).toEqual(['a-second', 'm-second']);
  expect(await backlog.size()).toBe(1);
});

it('moves claimed keys into the claim set, with a TTL, and takes no key twice', async () => {
  const { backlog, claimKey } = fresh();
  await backlog.add(Array.from({ length: 1200 }, (_, i) => `k${i}`));
  const first = await backlog.claim(claimKey, 1000, 60);
  const second = await backlog.claim(`${claimKey}b`, 1000, 60);
  expect(first).toHaveLength(1000);
  expect(second).toHaveLength(200);
  expect(new Set([...first, ...second]).size).toBe(1200);
  expect((await redis.smembers(claimKey)).sort()).toEqual([...first].sort());
  expect(await redis.ttl(claimKey)).toBeGreaterThan(0);
  expect(await backlog.claim(`${claimKey}c`, 1000, 60)).toEqual([]);
  expect(await redis.exists(`${claimKey}c`)).toBe(0);
});

it('converts a backlog left as a plain set by an earlier version, on add and on claim', async () => {
  const a = fresh();
  await redis.sadd(a.backlog.key, 'old-1', 'old-2');
  expect(await a.backlog.size()).toBe(2);
  expect(await a.backlog.add(['new-1'])).toBe(3);
  expect(await redis.type(a.backlog.key)).toBe('zset');

  const b = fresh();
  await redis.sadd(b.backlog.key, 'old-1', 'old-2', 'old-3');
  expect((await b.backlog.claim(b.claimKey, 10, 60)).sort()).toEqual(['old-1', 'old-2', 'old-3']);
  expect(await b.backlog.size()).toBe(0);
});
