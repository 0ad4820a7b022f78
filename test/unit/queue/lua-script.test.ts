// LuaScript against a real Redis: the script's result, EVALSHA after the first call on a connection, and the
// fallback to EVAL when the server lost its scripts (a restart, SCRIPT FLUSH). The flush happens on a
// private redis-server: the shared test Redis serves other files' scripts at the same time.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../../src/queue/connection.ts';
import { LuaScript } from '../../../src/queue/lua-script.ts';
import { provisionRedis, type ProvisionedRedis } from '../../../src/queue/redis-provision.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';

let redis: Redis;
let observer: Redis;

beforeAll(() => {
  redis = redisClient();
  observer = redisClient();
});

afterAll(async () => {
  await Promise.all([redis.quit(), observer.quit()]);
});

/** The last command of the connection whose CLIENT ID is `id`, as Redis saw it. */
async function lastCommand(id: string): Promise<string> {
  const line = (await observer.client('LIST', 'ID', id)) as string;
  return /\bcmd=(\S+)/.exec(line)?.[1] ?? '';
}

describe('LuaScript', () => {
  it('returns what the script returns, with its keys and arguments', async () => {
    const echo = new LuaScript('echo', `return {KEYS[1], ARGV[1], ARGV[2]}`, 1);
    const key = `${uniquePrefix('lua')}:k`;
    expect(await echo.run(redis, [key], ['a', 2])).toEqual([key, 'a', '2']);
  });

  it('sends the script by its SHA1 once the connection has sent it', async () => {
    const client = redisClient();
    try {
      const id = String(await client.client('ID'));
      const script = new LuaScript('sha', `return ARGV[1] .. '-${uniquePrefix()}'`, 0);
      await script.run(client, [], ['x']);
      expect(await lastCommand(id)).toBe('eval');
      await script.run(client, [], ['y']);
      expect(await lastCommand(id)).toBe('evalsha');
    } finally {
      await client.quit();
    }
  });

  it('two scripts on one connection keep their own text', async () => {
    const a = new LuaScript('same', `return 'a'`, 0);
    const b = new LuaScript('same', `return 'b'`, 0);
    expect([await a.run(redis, []), await b.run(redis, []), await a.run(redis, [])]).toEqual(['a', 'b', 'a']);
  });

  it('runs again after the server lost its scripts (NOSCRIPT: sent as EVAL)', async () => {
    const own: ProvisionedRedis = await provisionRedis({});
    const client = createRedis(own.url);
    try {
      const script = new LuaScript('flush', `return tonumber(ARGV[1]) + 1`, 0);
      expect(await script.run(client, [], [1])).toBe(2);
      expect(await script.run(client, [], [2])).toBe(3);
      await client.script('FLUSH');
      expect(await script.run(client, [], [3])).toBe(4);
      expect(await script.run(client, [], [4])).toBe(5);
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
