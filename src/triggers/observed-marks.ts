// Observation marks: when an upload-event drain last started to look at each key of a binding. They make ONE
// HEAD per object safe. A drain HEADs a key and hands what it saw to a sync job (or deletes the record when
// the object is gone); that write or delete may land after a LATER drain looked at the same key (the object
// was deleted or overwritten meanwhile), undoing the later drain's work: a record left for a deleted object,
// or an old version written over a new one. So:
//   - a drain takes an observation number for its keys before its HEADs (`observe`); each key keeps the
//     greatest number any drain took for it;
//   - after its writes (or deletes), whoever acted on that observation asks which keys a drain has started
//     to look at since (`since`), and puts those back into the backlog: the next drain HEADs them again and
//     writes what the bucket has then.
// Why that suffices: every change of an object is followed by an event, whose drain starts after the change.
// If that drain started before our write landed, it took a greater number and we hand the key back; if it
// starts after, it sees our write in the state and corrects it. A false alarm costs one HEAD.
// Numbers are microseconds of Redis's clock, kept increasing, so marks older than MARK_TTL_MS are dropped.
import type { RedisClient } from '../queue/connection.ts';

/** A write landing later than this after its drain started is not checked (the next full sync repairs it). */
export const MARK_TTL_MS = 15 * 60_000;

// KEYS[1] counter, KEYS[2] marks (sorted set key -> number). ARGV[1] ttl (µs), ARGV[2..] keys.
// Returns the number taken (a string: Redis would turn a Lua number this large into 14 digits).
const OBSERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local seq = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') + 1)
local s = string.format('%d', seq)
redis.call('SET', KEYS[1], s)
for i = 2, #ARGV, 500 do
  local args = {'GT'}
  for j = i, math.min(i + 499, #ARGV) do
    args[#args + 1] = s
    args[#args + 1] = ARGV[j]
  end
  redis.call('ZADD', KEYS[2], unpack(args))
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%d', seq - tonumber(ARGV[1])))
return s`;

export class ObservedMarks {
  private readonly seqKey: string;
  private readonly marksKey: string;

  /** `base`: the binding's backlog key; the marks live next to it. */
  constructor(
    private readonly redis: RedisClient,
    base: string,
  ) {
    this.seqKey = `${base}:seq`;
    this.marksKey = `${base}:seen`;
  }

  /** Marks the keys a drain is about to HEAD; returns its observation number. */
  async observe(keys: readonly string[]): Promise<number> {
    return Number(await this.redis.eval(OBSERVE, 2, this.seqKey, this.marksKey, MARK_TTL_MS * 1000, ...keys));
  }

  /** The keys a drain started to look at after observation `seen` (call AFTER acting on that observation). */
  async since(keys: readonly string[], seen: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const scores = await this.redis.zmscore(this.marksKey, ...keys);
    return keys.filter((_, i) => scores[i] !== null && Number(scores[i]) > seen);
  }
}
