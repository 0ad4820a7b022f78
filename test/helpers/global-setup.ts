// Vitest global setup: one Redis for the whole run (see provisionRedis for the order of sources).
// Tests isolate themselves with a random queue prefix (test/helpers/redis.ts), never a Redis mock.
import type { TestProject } from 'vitest/node';
import { provisionRedis } from '../../src/queue/redis-provision.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await provisionRedis();
  project.provide('redisUrl', redis.url);
  // Child processes that tests spawn (CLI, workers) find Redis the same way.
  process.env.REDIS_URL = redis.url;
  return async () => {
    await redis.stop();
  };
}
