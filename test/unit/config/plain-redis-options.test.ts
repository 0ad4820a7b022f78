// The zod-free reading of the Redis options (what a worker does at start) must give exactly what the zod
// schema gives, or decline and leave the wording of the problem to zod.
import { expect, it } from 'vitest';
import { loadRedisConfig } from '../../../src/config/load.ts';
import { configSchema, plainRedisOptions } from '../../../src/config/schema.ts';

const INPUTS: Record<string, unknown>[] = [
  {},
  { url: 'redis://10.0.0.5:6380' },
  { url: 'rediss://user:pw@host:6379/2', prefix: '{tenant-a}' },
  { url: ' redis://a:7000, redis://b:7001', cluster: true },
  { url: 'redis://a:7000,redis://b:7001' },
  { url: 'redis://a:7000,redis://b:7001', cluster: false },
  { url: 'redis://a:7000,b:7001', cluster: true },
  { url: 'http://a:6379' },
  { url: '' },
  { url: 6379 },
  { url: null },
  { cluster: 'yes' },
  { cluster: false, prefix: 'oss-pai-sync' },
  { prefix: '{a:b}' },
  { prefix: '{}' },
  { prefix: '{ok}', url: 'redis://x' },
];

it('gives what the zod schema gives, key order included, or declines where zod finds a problem', () => {
  for (const input of INPUTS) {
    const plain = plainRedisOptions(input);
    const zod = configSchema().shape.redis.safeParse(input);
    if (plain === undefined) {
      expect(zod.success, JSON.stringify(input)).toBe(false);
    } else {
      expect(zod.success, JSON.stringify(input)).toBe(true);
      expect(JSON.stringify(plain)).toBe(JSON.stringify(zod.data));
    }
  }
  // Most inputs are valid or invalid on purpose; both paths are exercised.
  expect(INPUTS.filter((i) => plainRedisOptions(i) === undefined).length).toBeGreaterThan(5);
  expect(INPUTS.filter((i) => plainRedisOptions(i) !== undefined).length).toBeGreaterThan(3);
});

it('still reports an unknown option next to valid Redis options', () => {
  expect(() => loadRedisConfig({ flags: { redisUrl: 'redis://x', bukcet: 'b' }, env: {} })).toThrow(
    /bukcet: unknown option; did you mean bucket/,
  );
  expect(loadRedisConfig({ flags: { redisUrl: 'redis://x' }, env: {} })).toEqual({
    url: 'redis://x',
    cluster: false,
    prefix: '{oss-pai-sync}',
  });
});
