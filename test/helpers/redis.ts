import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

export function redisUrl(): string {
  return inject('redisUrl');
}

/** A hash-tagged key prefix no other test uses, so tests can share one Redis. */
export function uniquePrefix(label = 't'): string {
  return `{ops-${label}-${randomBytes(4).toString('hex')}}`;
}

export function redisClient(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: null, lazyConnect: false });
}
