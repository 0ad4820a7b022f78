// Redis's own accounting: CPU seconds (INFO cpu) and used_memory (INFO memory), read around each case.
import type { RedisClient } from '../../src/queue/connection.ts';

function field(info: string, name: string): number {
  return Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
}

export async function redisCpuSeconds(redis: RedisClient): Promise<number> {
  const info = await redis.info('cpu');
  return field(info, 'used_cpu_sys') + field(info, 'used_cpu_user');
}

export async function redisUsedMemory(redis: RedisClient): Promise<number> {
  return field(await redis.info('memory'), 'used_memory');
}

/** Bytes of one key as Redis reports them (SAMPLES 0: every element, exact for a sorted set). */
export async function keyMemory(redis: RedisClient, key: string): Promise<number> {
  return Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
}

/** Total MEMORY USAGE of the keys matching a pattern, grouped by a label derived from each key. */
export async function memoryByGroup(
  redis: RedisClient,
  pattern: string,
  group: (key: string) => string,
): Promise<Record<string, { keys: number; bytes: number }>> {
  const out: Record<string, { keys: number; bytes: number }> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) {
      const g = group(k);
      const bytes = Number((await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')) ?? 0);
      const slot = (out[g] ??= { keys: 0, bytes: 0 });
      slot.keys++;
      slot.bytes += bytes;
    }
  } while (cursor !== '0');
  return out;
}

/** Bytes in and out and commands processed so far (INFO stats), and calls and µs per command (INFO commandstats). */
export interface RedisTraffic {
  inputBytes: number;
  outputBytes: number;
  commands: number;
  byCommand: Record<string, { calls: number; usec: number }>;
}

export async function redisTraffic(redis: RedisClient): Promise<RedisTraffic> {
  const stats = await redis.info('stats');
  const byCommand: RedisTraffic['byCommand'] = {};
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    byCommand[m[1]!] = { calls: Number(m[2]), usec: Number(m[3]) };
  return {
    inputBytes: field(stats, 'total_net_input_bytes'),
    outputBytes: field(stats, 'total_net_output_bytes'),
    commands: field(stats, 'total_commands_processed'),
    byCommand,
  };
}

/** What one case sent to Redis: the difference of two readings; commands sorted by their µs. */
export function trafficDelta(after: RedisTraffic, before: RedisTraffic): RedisTraffic {
  const byCommand: RedisTraffic['byCommand'] = {};
  const entries = Object.entries(after.byCommand)
    .map(([k, v]) => {
      const b = before.byCommand[k] ?? { calls: 0, usec: 0 };
      return [k, { calls: v.calls - b.calls, usec: v.usec - b.usec }] as const;
    })
    .filter(([, v]) => v.calls > 0)
    .sort((a, b) => b[1].usec - a[1].usec);
  for (const [k, v] of entries) byCommand[k] = v;
  return {
    inputBytes: after.inputBytes - before.inputBytes,
    outputBytes: after.outputBytes - before.outputBytes,
    commands: after.commands - before.commands,
    byCommand,
  };
}
