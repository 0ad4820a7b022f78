// What the dataset holds, per (dataset, version, bucket): one sorted set whose members are
//   <object key> \0 <DatasetFileMetaId> \t <etag> \t <size, base 36> \t <lastModified ms, base 36>
// with the hex id and etag stored as base64url ("~" marks it): ~55 bytes of facts instead of ~115, which is
// most of what an object costs in Redis besides its key (bench/BENCHMARKS.md, "Redis memory").
// all with score 0, so Redis orders them by key bytes, which is exactly OSS's listing order (UTF-8 bytes).
// That lets a listing page be diffed against the state of the same key range with ONE ZRANGEBYLEX: new,
// changed, unchanged and vanished keys fall out of a merge, with no per-run "seen" set to keep.
// Keys containing NUL are not supported (OSS keys are UTF-8 text; document it).
import type { RedisClient } from '../queue/connection.ts';

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

// For each (key, member, previous member or ""): when the caller's previous member was still there, removing
// it is enough (the common case: one ZREM); otherwise remove whatever other members the key has (a create, or
// a writer that raced us). Either way a key never keeps two members. "\\0" and "\\255" are Lua escapes for
// the NUL separator and the 0xFF byte that bound a key's members (see afterKey / atKey).
/** The Lua function behind put(), shared with the per-batch checkpoint script (src/sync/checkpoint.ts). */
export const PUT_REPLACING_FN = `
local function putReplacing(zkey, key, member, prev)
  local removed = 0
  if prev ~= '' and prev ~= member then removed = redis.call('ZREM', zkey, prev) end
  if removed == 0 then
    local old = redis.call('ZRANGEBYLEX', zkey, '[' .. key .. '\\0', '(' .. key .. '\\0\\255')
    for _, m in ipairs(old) do
      if m ~= member then redis.call('ZREM', zkey, m) end
    end
  end
  redis.call('ZADD', zkey, 0, member)
end`;

const PUT_REPLACING = `${PUT_REPLACING_FN}
for i = 1, #ARGV, 3 do putReplacing(KEYS[1], ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
return 0`;

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
    const members = (await this.redis.call('ZRANGEBYLEX', ...args)) as string[];
    const out: StateEntry[] = [];
    for (const m of members) {
      const e = decodeMember(m);
      if (e) out.push(e);
    }
    return out;
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

  /**
   * Writes entries, replacing in the same atomic step whatever member each key had, whoever wrote it (a run,
   * an upload-event sync, a requeue): one key never has two members. `replace[i]` is the member the caller
   * believes entry i replaces: when it is right, that saves a range lookup.
   */
  async put(entries: Omit<StateEntry, 'member'>[], replace: (string | undefined)[] = []): Promise<void> {
    if (entries.length === 0) return;
    const args: string[] = [];
    entries.forEach((e, i) => args.push(e.key, encodeMember(e), replace[i] ?? ''));
    await this.redis.eval(PUT_REPLACING, 1, this.key, ...args);
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
