// What the dataset holds, per (dataset, version, bucket): one sorted set whose members are
//   <object key> \0 <DatasetFileMetaId> \t <etag> \t <size, base 36> \t <lastModified ms, base 36>
// with the hex id and etag stored as base64url ("~" marks it): ~55 bytes of facts instead of ~115, which is
// most of what an object costs in Redis besides its key (bench/BENCHMARKS.md, "Redis memory").
// all with score 0, so Redis orders them by key bytes, which is exactly OSS's listing order (UTF-8 bytes).
// That lets a listing page be diffed against the state of the same key range with ONE ZRANGEBYLEX: new,
// changed, unchanged and vanished keys fall out of a merge, with no per-run "seen" set to keep.
// Keys containing NUL are not supported (OSS keys are UTF-8 text; document it).
import type { RedisClient } from '../queue/connection.ts';
import { compareKeys } from '../oss/key-order.ts';
import { LuaScript } from '../queue/lua-script.ts';

export interface StateEntry {
  key: string;
  metaId: string;
  etag: string;
  size: number;
  lastModified: number;
  /** The exact member, needed to replace or remove it. */
  member: string;
}

const SEP = '\0';
// 0xFF never occurs in UTF-8, so "<x>\xFF" sorts after every member that starts with x.
const HIGH = Buffer.from([0xff]);

const HEX_ID = /^([0-9a-f]{64})$/;
const HEX_ETAG = /^([0-9A-F]{32})(-\d+)?$/;

/** Hex ids and etags as base64url behind "~"; anything else as is ("!" escapes a value starting with ~ or !). */
function packHex(v: string, pattern: RegExp): string {
  const m = pattern.exec(v);
  // base64url uses '-', so a multipart suffix "-N" is kept as ":N".
  if (m)
    return `~${Buffer.from(m[1] ?? m[0], 'hex').toString('base64url')}${m[2] ? `:${m[2].slice(1)}` : ''}`;
  return v.startsWith('~') || v.startsWith('!') ? `!${v}` : v;
}

function unpackHex(v: string, upper: boolean): string {
  if (v.startsWith('!')) return v.slice(1);
  if (!v.startsWith('~')) return v;
  const colon = v.indexOf(':');
  const b64 = colon < 0 ? v.slice(1) : v.slice(1, colon);
  const hex = Buffer.from(b64, 'base64url').toString('hex');
  return (upper ? hex.toUpperCase() : hex) + (colon < 0 ? '' : `-${v.slice(colon + 1)}`);
}

export function encodeMember(e: Omit<StateEntry, 'member'>): string {
  return `${e.key}${SEP}${packHex(e.metaId, HEX_ID)}\t${packHex(e.etag, HEX_ETAG)}\t${e.size.toString(36)}\t${e.lastModified.toString(36)}`;
}

/**
 * Whether a member records exactly these facts: its text after the record id equals their encoding. The
 * planner asks this of every listed object that has a state entry, so an incremental run compares encoded
 * text instead of decoding every member (two base64 conversions, a split and an object each).
 */
export function memberHasFacts(member: string, etag: string, size: number, lastModified: number): boolean {
  return member.endsWith(`\t${packHex(etag, HEX_ETAG)}\t${size.toString(36)}\t${lastModified.toString(36)}`);
}

/** A state entry whose facts are decoded from its member on first use (see StateStore.rangeForDiff). */
class LazyEntry implements StateEntry {
  #decoded: StateEntry | undefined;
  constructor(
    readonly key: string,
    readonly member: string,
  ) {}
  get #facts(): StateEntry {
    return (this.#decoded ??= decodeMember(this.member)!);
  }
  get metaId(): string {
    return this.#facts.metaId;
  }
  get etag(): string {
    return this.#facts.etag;
  }
  get size(): number {
    return this.#facts.size;
  }
  get lastModified(): number {
    return this.#facts.lastModified;
  }
}

export function decodeMember(member: string): StateEntry | undefined {
  const i = member.lastIndexOf(SEP);
  if (i < 0) return undefined;
  const [id = '', tag = '', size = '0', lm = '0'] = member.slice(i + 1).split('\t');
  const metaId = unpackHex(id, false);
  const etag = unpackHex(tag, true);
  return {
    key: member.slice(0, i),
    metaId,
    etag,
    size: parseInt(size, 36),
    lastModified: parseInt(lm, 36),
    member,
  };
}

// putReplacingBatch(zkey, args, at, n): writes n entries given in args from index `at` as: the entries'
// smallest and largest key (UTF-8 byte order, computed by the caller with stateArgs(): Lua's string "<"
// follows the server's locale), then (key, member, previous member or "") per entry. In one atomic step:
// 1. When the caller's previous member was still there, removing it is enough (an update: one ZREM).
// 2. If any key is left (creates, or a writer that raced us), the members of the entries' key range are read
//    with ONE ZRANGEBYLEX: a batch is a contiguous run of a listing page, so that range holds little else.
//    LIMIT bounds the read at twice the entries (+16); when it comes back full, the keys it did not return
//    whole are looked up one by one.
// 3. Those keys' members other than the new one are removed, then every new member is added.
// Either way a key never keeps two members (also when a key occurs twice: the last entry wins).
// Keys hold no NUL (see the header), so a member's key is what precedes its first NUL. "\\0" and "\\255"
// are Lua escapes for the NUL separator and the 0xFF byte that bound a key's members (see afterKey / atKey).
/** The Lua function behind put(), shared with the per-batch checkpoint script (src/sync/checkpoint.ts). */
export const PUT_REPLACING_FN = `
local function putReplacingBatch(z, args, at, n)
  if n == 0 then return end
  local final, want, pending = {}, {}, false
  for i = at + 2, at + 2 + 3 * (n - 1), 3 do
    local key, member, prev = args[i], args[i + 1], args[i + 2]
    final[key] = member
    local removed = 0
    if prev ~= '' and prev ~= member then removed = redis.call('ZREM', z, prev) end
    if removed == 0 then want[key] = true; pending = true end
  end
  if pending then
    local limit = 2 * n + 16
    local old = redis.call('ZRANGEBYLEX', z, '[' .. args[at] .. '\\0', '(' .. args[at + 1] .. '\\0\\255', 'LIMIT', 0, limit)
    local cut = nil
    if #old == limit then
      local last = old[#old]
      cut = string.sub(last, 1, string.find(last, '\\0', 1, true) - 1)
    end
    local whole = {}
    for _, m in ipairs(old) do
      local key = string.sub(m, 1, string.find(m, '\\0', 1, true) - 1)
      if want[key] and key ~= cut then
        whole[key] = true
        if m ~= final[key] then redis.call('ZREM', z, m) end
      end
    end
    if cut ~= nil then
      for key in pairs(want) do
        if not whole[key] then
          local more = redis.call('ZRANGEBYLEX', z, '[' .. key .. '\\0', '(' .. key .. '\\0\\255')
          for _, m in ipairs(more) do
            if m ~= final[key] then redis.call('ZREM', z, m) end
          end
        end
      end
    end
  end
  local add = {}
  for _, member in pairs(final) do
    add[#add + 1] = 0
    add[#add + 1] = member
    if #add >= 200 then redis.call('ZADD', z, unpack(add)); add = {} end
  end
  if #add > 0 then redis.call('ZADD', z, unpack(add)) end
end`;

// KEYS[1] the state; ARGV: (key, member) pairs. Adds each member whose key has none yet, in order (so the
// first of two entries for one key wins, also within one call); returns how many were skipped.
const ADD_ABSENT = new LuaScript(
  'stateAddAbsent',
  `
local skipped = 0
for i = 1, #ARGV, 2 do
  local key = ARGV[i]
  if #redis.call('ZRANGEBYLEX', KEYS[1], '[' .. key .. '\\0', '(' .. key .. '\\0\\255', 'LIMIT', 0, 1) > 0 then
    skipped = skipped + 1
  else
    redis.call('ZADD', KEYS[1], 0, ARGV[i + 1])
  end
end
return skipped`,
  1,
);

const PUT_REPLACING = new LuaScript(
  'statePut',
  `${PUT_REPLACING_FN}
putReplacingBatch(KEYS[1], ARGV, 1, (#ARGV - 2) / 3)
return 0`,
  1,
);

/**
 * The arguments putReplacingBatch reads: smallest key, largest key, then (key, member, replaced member or "")
 * per entry; [] for no entries. `replace[i]` is the member the caller believes entry i replaces.
 */
export function stateArgs(
  entries: readonly Omit<StateEntry, 'member'>[],
  replace: readonly (string | undefined)[] = [],
): string[] {
  if (entries.length === 0) return [];
  let lo = entries[0]!.key;
  let hi = lo;
  const args: string[] = ['', ''];
  entries.forEach((e, i) => {
    if (compareKeys(e.key, lo) < 0) lo = e.key;
    if (compareKeys(e.key, hi) > 0) hi = e.key;
    args.push(e.key, encodeMember(e), replace[i] ?? '');
  });
  args[0] = lo;
  args[1] = hi;
  return args;
}

/** Exclusive lex bound just after every member of `key` (and before any longer key). */
function afterKey(key: string): Buffer {
  return Buffer.concat([Buffer.from('('), Buffer.from(key + SEP), HIGH]);
}
/** Inclusive lex bound at the first member of `key`. */
function atKey(key: string): Buffer {
  return Buffer.from(`[${key}${SEP}`);
}

/**
 * Key-range bounds. Lower: `after` (exclusive) or `from` (inclusive prefix start). Upper: `through`
 * (inclusive key), `before` (exclusive key) or `beforePrefixEnd` (every key that starts with it).
 */
export interface RangeBounds {
  after?: string;
  from?: string;
  through?: string;
  before?: string;
  beforePrefixEnd?: string;
}

export class StateStore {
  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
  ) {}

  /**
   * Entries with after < key <= through (both optional: open ends). `through` is inclusive because a page's
   * range ends at its own last key; `before` (exclusive) bounds a partition.
   */
  async range(bounds: RangeBounds, limit?: number): Promise<StateEntry[]> {
    const out: StateEntry[] = [];
    for (const m of await this.members(bounds, limit)) {
      const e = decodeMember(m);
      if (e) out.push(e);
    }
    return out;
  }

  /**
   * The same entries for the planner: key and member at once, the other facts decoded only when read (an
   * unchanged object never reads them: memberHasFacts compares the member's text). Not for spreading.
   */
  async rangeForDiff(bounds: RangeBounds): Promise<StateEntry[]> {
    const out: StateEntry[] = [];
    for (const m of await this.members(bounds)) {
      const i = m.lastIndexOf(SEP);
      if (i >= 0) out.push(new LazyEntry(m.slice(0, i), m));
    }
    return out;
  }

  private async members(bounds: RangeBounds, limit?: number): Promise<string[]> {
    let min: Buffer | string = '-';
    if (bounds.after !== undefined) min = afterKey(bounds.after);
    else if (bounds.from !== undefined) min = Buffer.from(`[${bounds.from}`);
    let max: Buffer | string = '+';
    if (bounds.through !== undefined) max = afterKey(bounds.through);
    else if (bounds.before !== undefined) max = Buffer.from(`(${bounds.before}`);
    else if (bounds.beforePrefixEnd !== undefined)
      max = Buffer.concat([Buffer.from(`(${bounds.beforePrefixEnd}`), HIGH]);
    const args: (string | Buffer | number)[] = [this.key, min, max];
    if (limit !== undefined) args.push('LIMIT', 0, limit);
    return (await this.redis.call('ZRANGEBYLEX', ...args)) as string[];
  }

  async get(key: string): Promise<StateEntry | undefined> {
    const members = (await this.redis.call(
      'ZRANGEBYLEX',
      this.key,
      atKey(key),
      afterKey(key),
      'LIMIT',
      0,
      2,
    )) as string[];
    const m = members[0];
    return m === undefined ? undefined : decodeMember(m);
  }

  /** The entry of each key (undefined where none), in one round trip. */
  async getMany(keys: readonly string[]): Promise<(StateEntry | undefined)[]> {
    if (keys.length === 0) return [];
    const p = this.redis.pipeline();
    for (const key of keys) p.call('ZRANGEBYLEX', this.key, atKey(key), afterKey(key), 'LIMIT', 0, 1);
    const answers = (await p.exec()) ?? [];
    return answers.map(([err, members]) => {
      if (err) throw err;
      const m = (members as string[])[0];
      return m === undefined ? undefined : decodeMember(m);
    });
  }

  /**
   * Writes entries, replacing in the same atomic step whatever member each key had, whoever wrote it (a run,
   * an upload-event sync, a requeue): one key never has two members. `replace[i]` is the member the caller
   * believes entry i replaces: when it is right, that saves a range lookup.
   */
  async put(entries: Omit<StateEntry, 'member'>[], replace: (string | undefined)[] = []): Promise<void> {
    if (entries.length === 0) return;
    await PUT_REPLACING.run(this.redis, [this.key], stateArgs(entries, replace));
  }

  /**
   * Adds the entries whose key has no entry yet, in one round trip (the lookups run in Redis, not one call
   * per key); an entry for a key already present, or present earlier in `entries`, is skipped. Returns the
   * number skipped.
   */
  async addAbsent(entries: readonly Omit<StateEntry, 'member'>[]): Promise<number> {
    if (entries.length === 0) return 0;
    const args: string[] = [];
    for (const e of entries) args.push(e.key, encodeMember(e));
    return Number(await ADD_ABSENT.run(this.redis, [this.key], args));
  }

  async remove(members: string[]): Promise<void> {
    if (members.length > 0) await this.redis.zrem(this.key, ...members);
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.key);
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }

  /** Iterates the whole state in key order, a page at a time (bounded memory). */
  async *scan(pageSize = 1000): AsyncGenerator<StateEntry[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.range(after === undefined ? {} : { after }, pageSize);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.key;
      if (page.length < pageSize) return;
    }
  }
}
