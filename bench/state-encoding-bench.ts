// Redis bytes per tracked object for the state sorted set (src/sync/state-store.ts) as encoded today, and
// for more compact encodings of the same facts, so a change to the member format can be judged on numbers.
// Run: npx tsx bench/state-encoding-bench.ts [N]   (own redis-server, or REDIS_URL)
import { randomBytes } from 'node:crypto';
import { createRedis } from '../src/queue/connection.ts';
import { provisionRedis } from '../src/queue/redis-provision.ts';
import { encodeMember } from '../src/sync/state-store.ts';
import { keyFor, MAIN_PREFIX } from './lib/keys.ts';

const n = Number(process.argv[2] ?? 100_000);

interface Facts {
  key: string;
  metaId: string;
  etag: string;
  size: number;
  lastModified: number;
}

const encodings: Record<string, (f: Facts) => string> = {
  'current (hex id, hex etag, decimal ms)': (f) => encodeMember(f),
  // DatasetFileMetaId is 64 hex chars: 32 bytes; base64url without padding is 43 chars.
  'base64url id + etag, base36 size and seconds': (f) =>
    `${f.key}\0${Buffer.from(f.metaId, 'hex').toString('base64url')}\t${Buffer.from(f.etag, 'hex').toString('base64url')}\t${f.size.toString(36)}\t${Math.floor(f.lastModified / 1000).toString(36)}`,
  // Raw bytes: Redis strings are binary-safe (ioredis takes Buffers); the key stays first for ZRANGEBYLEX.
  'binary id + etag, base36 size and seconds': (f) =>
    Buffer.concat([
      Buffer.from(`${f.key}\0`),
      Buffer.from(f.metaId, 'hex'),
      Buffer.from(f.etag, 'hex'),
      Buffer.from(`${f.size.toString(36)}\t${Math.floor(f.lastModified / 1000).toString(36)}`),
    ]).toString('latin1'),
  'key only (lower bound of a sorted set of keys)': (f) => f.key,
};

const redisHandle = await provisionRedis();
const redis = createRedis(redisHandle.url, { maxRetriesPerRequest: 20 });
try {
  const lm = Date.now();
  console.log(`state sorted set, ${n} members, keys like ${keyFor(MAIN_PREFIX, 12345)}`);
  console.log('| encoding | member bytes | MEMORY USAGE bytes/object |');
  console.log('|---|---:|---:|');
  for (const [name, enc] of Object.entries(encodings)) {
    const key = `bench:state:${name}`;
    let memberBytes = 0;
    for (let i = 0; i < n; i += 1000) {
      const args: (number | Buffer)[] = [];
      for (let j = i; j < Math.min(n, i + 1000); j++) {
        const m = Buffer.from(
          enc({
            key: keyFor(MAIN_PREFIX, j),
            metaId: randomBytes(32).toString('hex'),
            etag: randomBytes(16).toString('hex').toUpperCase(),
            size: 15 + (j % 5000),
            lastModified: lm,
          }),
          'latin1',
        );
        memberBytes += m.length;
        args.push(0, m);
      }
      await redis.zadd(key, ...(args as [number, Buffer]));
    }
    const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    console.log(`| ${name} | ${(memberBytes / n).toFixed(1)} | ${(bytes / n).toFixed(1)} |`);
    await redis.del(key);
  }
} finally {
  redis.disconnect();
  await redisHandle.stop();
}
