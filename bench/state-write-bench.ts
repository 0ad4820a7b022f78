// Redis CPU of the state write (src/sync/state-store.ts put), today's script against the one before it (one
// ZRANGEBYLEX + ZADD per entry, kept here as the baseline), in the same run on a private Redis:
//   full:   N creates in batches of 100 consecutive keys (a full sync);
//   update: the same keys rewritten with the right previous member (an incremental run's updates);
//   race:   the same keys rewritten without a previous member (an event sync that did not read the state).
// Run: npx tsx bench/state-write-bench.ts [N]   (own redis-server, or REDIS_URL)
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { provisionRedis } from '../src/queue/redis-provision.ts';
import { encodeMember, StateStore } from '../src/sync/state-store.ts';
import { redisCpuSeconds } from './lib/redis-info.ts';
import { keyFor, MAIN_PREFIX } from './lib/keys.ts';

const n = Number(process.argv[2] ?? 200_000);
const BATCH = 100;

const BEFORE = `
for i = 1, #ARGV, 3 do
  local key, member, prev = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local removed = 0
  if prev ~= '' and prev ~= member then removed = redis.call('ZREM', KEYS[1], prev) end
  if removed == 0 then
    local old = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. key .. '\\0', '(' .. key .. '\\0\\255')
    for _, m in ipairs(old) do
      if m ~= member then redis.call('ZREM', KEYS[1], m) end
    end
  end
  redis.call('ZADD', KEYS[1], 0, member)
end
return 0`;

const facts = (i: number, gen: number) => ({
  key: keyFor(MAIN_PREFIX, i),
  metaId: `${'0'.repeat(56)}${(i + gen * 1e7).toString(16).padStart(8, '0')}`,
  etag: `${'A'.repeat(24)}${(i + gen).toString(16).padStart(8, '0').toUpperCase()}`,
  size: 15,
  lastModified: 1_700_000_000_000 + gen,
});

type Writer = (
  store: StateStore,
  entries: ReturnType<typeof facts>[],
  prev: (string | undefined)[],
) => Promise<void>;

const handle = await provisionRedis();
const redis = new Redis(handle.url);
const writers: Record<string, Writer> = {
  before: async (store, entries, prev) => {
    const args: string[] = [];
    entries.forEach((e, i) => args.push(e.key, encodeMember(e), prev[i] ?? ''));
    await redis.eval(BEFORE, 1, store.key, ...args);
  },
  now: (store, entries, prev) => store.put(entries, prev),
  // The floor: a plain ZADD of the members, no script, no replacing (not a correct write, a yardstick).
  'zadd only': async (store, entries) => {
    const args: (string | number)[] = [];
    for (const e of entries) args.push(0, encodeMember(e));
    await redis.zadd(store.key, ...args);
  },
};

async function phase(w: Writer, store: StateStore, gen: number, withPrev: boolean): Promise<number> {
  const cpu0 = await redisCpuSeconds(redis);
  for (let start = 0; start < n; start += BATCH) {
    const entries = Array.from({ length: Math.min(BATCH, n - start) }, (_, j) => facts(start + j, gen));
    const prev = withPrev
      ? entries.map((e) => encodeMember({ ...facts(start + entries.indexOf(e), gen - 1) }))
      : [];
    await w(store, entries, prev);
  }
  return (((await redisCpuSeconds(redis)) - cpu0) * 1e6) / n;
}

try {
  console.log(
    `state write, N=${n}, batches of ${BATCH}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log('Redis CPU µs per entry (= ms per 1,000):');
  const rows: Record<string, Record<string, number>> = {};
  // Twice, alternating, so both scripts see the same machine.
  for (const round of [1, 2]) {
    for (const [name, w] of Object.entries(writers)) {
      const store = new StateStore(redis, `{bench-state-write}:${name}:${round}`);
      await store.clear();
      const r = {
        full: await phase(w, store, 1, false),
        update: await phase(w, store, 2, true),
        race: await phase(w, store, 3, false),
      };
      if (name !== 'zadd only' && (await store.count()) !== n)
        throw new Error(`${name}: ${await store.count()} members, want ${n}`);
      await store.clear();
      rows[`${name} #${round}`] = r;
    }
  }
  console.table(
    Object.fromEntries(
      Object.entries(rows).map(([k, r]) => [
        k,
        Object.fromEntries(Object.entries(r).map(([p, v]) => [p, Number(v.toFixed(2))])),
      ]),
    ),
  );
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await redis.quit();
  await handle.stop();
}
