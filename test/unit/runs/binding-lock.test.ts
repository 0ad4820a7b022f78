// The binding lock: one active run per binding; release and stale takeover are compare-and-delete.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Keys } from '../../../src/queue/keys.ts';
import { BindingBusyError, BindingLock } from '../../../src/runs/binding-lock.ts';
import type { RunStatus } from '../../../src/runs/run-types.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';

let redis: Redis;
beforeAll(() => {
  redis = redisClient();
});
afterAll(() => redis.disconnect());

it('lets one run hold a binding, releases only for its holder, takes over the lock of an ended run', async () => {
  const keys = new Keys(uniquePrefix('lock'));
  const status = new Map<string, RunStatus>([
    ['r1', 'running'],
    ['r2', 'queued'],
  ]);
  const lock = new BindingLock(redis, keys, async (id) => status.get(id));
  await lock.acquire('b', 'r1');
  await expect(lock.acquire('b', 'r2')).rejects.toBeInstanceOf(BindingBusyError);
  // Another run cannot free it: the compare fails and the lock stays r1's.
  expect(await lock.release('b', 'r2')).toBe(false);
  expect(await lock.holder('b')).toBe('r1');
  // A lock left by a run that ended is taken over.
  status.set('r1', 'failed');
  await lock.acquire('b', 'r2');
  expect(await lock.holder('b')).toBe('r2');
  // r1 finalizing late must not free r2's lock.
  expect(await lock.release('b', 'r1')).toBe(false);
  expect(await lock.release('b', 'r2')).toBe(true);
  expect(await lock.holder('b')).toBeUndefined();
  await redis.del(keys.bindingActive('b'));
});
