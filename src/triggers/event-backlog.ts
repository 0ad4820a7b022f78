// A binding's upload-event backlog in Redis: a sorted set of object keys scored by first arrival (ms), so a
// key uploaded ten times in a burst is one entry (ZADD NX keeps its first arrival) and drains take the
// OLDEST keys first: under a backlog, the wait of a key is bounded by arrival order (SPOP on a plain set took
// them at random, so the earliest uploads could wait longest).
// Backlogs written by an earlier version as a plain set are converted in place by the first add or claim.
import type { RedisClient } from '../queue/connection.ts';

// KEYS[1] the backlog; converts a legacy set into the sorted set (arrival: now) before anything else.
const CONVERT = `
local function convert(key, now)
  if redis.call('TYPE', key).ok == 'set' then
    local members = redis.call('SMEMBERS', key)
    redis.call('DEL', key)
    for i = 1, #members, 500 do
      local args = {}
      for j = i, math.min(i + 499, #members) do
        args[#args + 1] = now
        args[#args + 1] = members[j]
      end
      redis.call('ZADD', key, unpack(args))
    end
  end
end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
convert(KEYS[1], now)
`;

// ARGV: keys. Arrival on Redis's clock, so workers' clocks do not reorder the backlog.
const ADD =
  CONVERT +
  `
for i = 1, #ARGV, 500 do
  local args = {'NX'}
  for j = i, math.min(i + 499, #ARGV) do
    args[#args + 1] = now
    args[#args + 1] = ARGV[j]
  end
  redis.call('ZADD', KEYS[1], unpack(args))
end
return redis.call('ZCARD', KEYS[1])`;

// KEYS[2] the claim set of one drain job. ARGV: count, claim ttl (s). Returns the claimed keys, oldest first.
const CLAIM =
  CONVERT +
  `
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
local keys = {}
for i = 1, #popped, 2 do keys[#keys + 1] = popped[i] end
for i = 1, #keys, 500 do
  redis.call('SADD', KEYS[2], unpack(keys, i, math.min(i + 499, #keys)))
end
if #keys > 0 then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2])) end
return keys`;

export class EventBacklog {
  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
  ) {}

  /** Adds keys (a key already waiting keeps its place); returns the backlog's size. */
  async add(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return this.size();
    return Number(await this.redis.eval(ADD, 1, this.key, ...keys));
  }

  /** Moves up to `count` of the oldest keys into `claimKey` atomically (a crash loses none) and returns them. */
  async claim(claimKey: string, count: number, ttlSeconds: number): Promise<string[]> {
    return (await this.redis.eval(CLAIM, 2, this.key, claimKey, count, ttlSeconds)) as string[];
  }

  async size(): Promise<number> {
    const type = await this.redis.type(this.key);
    return type === 'set' ? this.redis.scard(this.key) : this.redis.zcard(this.key);
  }
}
