import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createRedis } from '../../src/queue/connection.ts';

export function redisUrl(): string {
  return inject('redisUrl');
}

/** A hash-tagged key prefix no other test uses, so tests can share one Redis. */
export function uniquePrefix(label = 't'): string {
  return `{ops-${label}-${randomBytes(4).toString('hex')}}`;
}

export function redisClient(): Redis {
  return createRedis(redisUrl(), { lazyConnect: false });
}
