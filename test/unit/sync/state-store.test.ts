// StateStore against the real Redis: member encoding, UTF-8 byte order, key-range bounds, replace, paging.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeMember,
  encodeMember,
  memberHasFacts,
  StateStore,
  type StateEntry,
} from '../../../src/sync/state-store.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';

type Facts = Omit<StateEntry, 'member'>;

const ODD_KEYS = [
  'plain.txt',
  'a b/c d.txt',
  'plus+sign',
  '100%',
  'hash#tag',
  'what?.jpg',
  'line\nbreak',
  'tab\tin key',
  'ü/日本/файл',
  '🎉 party',
  '𝄞 music',
  '\uFFFD replacement',
  '\uE000 private use',
  'a',
  'a/',
  'a/b',
  'ab',
];

const facts = (key: string, i = 0): Facts => ({
  key,
  metaId: `meta-${i}`,
  etag: `ETAG${i}`,
  size: 100 + i,
  lastModified: 1_700_000_000_000 + i,
});

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

let redis: Redis;
let current: StateStore | undefined;

beforeAll(() => {
  redis = redisClient();
});
afterEach(async () => {
  await current?.clear();
  current = undefined;
});
afterAll(async () => {
  await redis.quit();
});

/** A fresh store per test, under a prefix no other test uses. */
function freshStore(): StateStore {
  const s = new StateStore(redis, `${uniquePrefix('state')}:ops:state:d:v1:b`);
  current = s;
  return s;
}

async function seed(store: StateStore, keys: readonly string[]): Promise<void> {
  await store.put(keys.map((k, i) => facts(k, i)));
}

const keysOf = (entries: StateEntry[]) => entries.map((e) => e.key);

describe('encodeMember / decodeMember', () => {
  it.each(ODD_KEYS)('round-trips the key %j with its facts', (key) => {
    const f = facts(key, 7);
    const member = encodeMember(f);
    expect(decodeMember(member)).toEqual({ ...f, member });
  });

  it('round-trips a size above 2^32 and a zero mtime', () => {
    const f: Facts = { key: 'big', metaId: 'm', etag: 'E-12', size: 5 * 2 ** 40, lastModified: 0 };
    expect(decodeMember(encodeMember(f))).toEqual({ ...f, member: encodeMember(f) });
  });

  it('returns undefined for a member without the separator', () => {
    expect(decodeMember('no separator here')).toBeUndefined();
  });
});

describe('StateStore against Redis', () => {
  it('puts and gets every odd key exactly', async () => {
    const store = freshStore();
    await seed(store, ODD_KEYS);
    expect(await store.count()).toBe(ODD_KEYS.length);
    for (const [i, key] of ODD_KEYS.entries()) {
      const got = await store.get(key);
      expect(got).toEqual({ ...facts(key, i), member: encodeMember(facts(key, i)) });
    }
  });

  it('get() does not confuse a key with its prefixes or extensions', async () => {
    const store = freshStore();
    await seed(store, ['a/', 'a/b', 'ab']);
    expect(await store.get('a')).toBeUndefined();
    expect((await store.get('a/'))?.key).toBe('a/');
    expect(await store.get('a/b/')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
  });

  it('returns entries in UTF-8 byte order, the order OSS lists keys in', async () => {
    const store = freshStore();
    // Insert in reverse so the order cannot come from insertion.
    await seed(store, [...ODD_KEYS].reverse());
    const all = await store.range({});
    const want = [...ODD_KEYS].sort(byUtf8);
    expect(keysOf(all)).toEqual(want);
    // The case JS string order gets wrong: U+FFFD and U+E000 sort before astral characters in UTF-8.
    expect(keysOf(all).indexOf('\uFFFD replacement')).toBeLessThan(keysOf(all).indexOf('🎉 party'));
    expect(keysOf(all).indexOf('\uE000 private use')).toBeLessThan(keysOf(all).indexOf('𝄞 music'));
  });

  it('rangeForDiff gives the entries of range(), their facts decoded on first read', async () => {
    const store = freshStore();
    await seed(store, ODD_KEYS);
    const eager = await store.range({});
    const lazy = await store.rangeForDiff({});
    expect(lazy.map((e) => [e.key, e.member, e.metaId, e.etag, e.size, e.lastModified])).toEqual(
      eager.map((e) => [e.key, e.member, e.metaId, e.etag, e.size, e.lastModified]),
    );
    for (const e of eager) {
      expect(memberHasFacts(e.member, e.etag, e.size, e.lastModified)).toBe(true);
      expect(memberHasFacts(e.member, e.etag, e.size + 1, e.lastModified)).toBe(false);
      expect(memberHasFacts(e.member, e.etag, e.size, e.lastModified + 1000)).toBe(false);
      expect(memberHasFacts(e.member, `${e.etag}0`, e.size, e.lastModified)).toBe(false);
    }
  });

  describe('range() bounds over keys that are prefixes of each other', () => {
    const KEYS = ['a', 'a/', 'a/b', 'a/b/c', 'ab', 'b'];

    it.each([
      ['open at both ends', {}, KEYS],
      ['after a (exclusive)', { after: 'a' }, ['a/', 'a/b', 'a/b/c', 'ab', 'b']],
      ['after a/ (exclusive)', { after: 'a/' }, ['a/b', 'a/b/c', 'ab', 'b']],
      ['after a key not stored', { after: 'a/a' }, ['a/b', 'a/b/c', 'ab', 'b']],
      ['from a/ (inclusive)', { from: 'a/' }, ['a/', 'a/b', 'a/b/c', 'ab', 'b']],
      ['from a prefix not itself a key', { from: 'a/b/' }, ['a/b/c', 'ab', 'b']],
      ['through a (inclusive)', { through: 'a' }, ['a']],
      ['through a/ (inclusive)', { through: 'a/' }, ['a', 'a/']],
      ['through a/b (inclusive, not a/b/c)', { through: 'a/b' }, ['a', 'a/', 'a/b']],
      ['before a/ (exclusive)', { before: 'a/' }, ['a']],
      ['before ab (exclusive)', { before: 'ab' }, ['a', 'a/', 'a/b', 'a/b/c']],
      ['before a (exclusive): nothing', { before: 'a' }, []],
      [
        'beforePrefixEnd a/: every key starting with a/',
        { beforePrefixEnd: 'a/' },
        ['a', 'a/', 'a/b', 'a/b/c'],
      ],
      ['beforePrefixEnd a: also ab', { beforePrefixEnd: 'a' }, ['a', 'a/', 'a/b', 'a/b/c', 'ab']],
      ['from a/ to the end of prefix a/', { from: 'a/', beforePrefixEnd: 'a/' }, ['a/', 'a/b', 'a/b/c']],
      ['after a through a/b', { after: 'a', through: 'a/b' }, ['a/', 'a/b']],
      ['after a/ before ab', { after: 'a/', before: 'ab' }, ['a/b', 'a/b/c']],
      ['after b: nothing', { after: 'b' }, []],
      ['after a through a: empty', { after: 'a', through: 'a' }, []],
    ] as const)('%s', async (_name, bounds, want) => {
      const store = freshStore();
      await seed(store, KEYS);
      expect(keysOf(await store.range(bounds))).toEqual(want);
    });

    it('honours a limit', async () => {
      const store = freshStore();
      await seed(store, KEYS);
      expect(keysOf(await store.range({ after: 'a' }, 2))).toEqual(['a/', 'a/b']);
    });
  });

  it('range() bounds work with astral and U+FFFD keys in byte order', async () => {
    const store = freshStore();
    await seed(store, ['\uFFFD', '\uFFFD/x', '🎉', '🎉/x', 'z']);
    expect(keysOf(await store.range({ after: '\uFFFD' }))).toEqual(['\uFFFD/x', '🎉', '🎉/x']);
    expect(keysOf(await store.range({ through: '\uFFFD/x' }))).toEqual(['z', '\uFFFD', '\uFFFD/x']);
    expect(keysOf(await store.range({ from: '🎉', beforePrefixEnd: '🎉' }))).toEqual(['🎉', '🎉/x']);
    expect(keysOf(await store.range({ before: '🎉' }))).toEqual(['z', '\uFFFD', '\uFFFD/x']);
  });

  it('put() with the previous member replaces it: one entry per key, new facts', async () => {
    const store = freshStore();
    const v1 = facts('photos/a.jpg', 1);
    await store.put([v1]);
    const old = await store.get('photos/a.jpg');
    expect(old).toBeDefined();
    const v2: Facts = { ...v1, etag: 'NEWETAG', size: 999, lastModified: v1.lastModified + 5 };
    await store.put([v2], [old!.member]);
    expect(await store.count()).toBe(1);
    expect(await store.get('photos/a.jpg')).toEqual({ ...v2, member: encodeMember(v2) });
  });

  it('put() replaces only the given members and ignores undefined entries in replace', async () => {
    const store = freshStore();
    await seed(store, ['k1', 'k2']);
    const k1 = (await store.get('k1'))!;
    await store.put([{ ...facts('k1', 50) }, facts('k3', 3)], [k1.member, undefined]);
    expect(keysOf(await store.range({}))).toEqual(['k1', 'k2', 'k3']);
    expect((await store.get('k1'))?.metaId).toBe('meta-50');
  });

  it('put() of nothing writes nothing', async () => {
    const store = freshStore();
    await store.put([]);
    expect(await store.count()).toBe(0);
    expect(await redis.exists(store.key)).toBe(0);
  });

  it('remove() drops exactly the given members', async () => {
    const store = freshStore();
    await seed(store, ['x', 'y', 'z']);
    const y = (await store.get('y'))!;
    await store.remove([y.member]);
    await store.remove([]);
    expect(keysOf(await store.range({}))).toEqual(['x', 'z']);
  });

  it('scan() pages through everything in key order', async () => {
    const store = freshStore();
    const keys = Array.from({ length: 25 }, (_, i) => `k/${String(i).padStart(3, '0')}`);
    await seed(store, keys);
    const pages: StateEntry[][] = [];
    for await (const page of store.scan(10)) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat().map((e) => e.key)).toEqual(keys);
  });

  it('scan() with an exact multiple of the page size ends without an empty page', async () => {
    const store = freshStore();
    await seed(store, ['a', 'a/', 'a/b', 'ab']);
    const pages: StateEntry[][] = [];
    for await (const page of store.scan(2)) pages.push(page);
    expect(pages.map(keysOf)).toEqual([
      ['a', 'a/'],
      ['a/b', 'ab'],
    ]);
  });

  it('scan() of an empty store yields nothing', async () => {
    const store = freshStore();
    const pages: StateEntry[][] = [];
    for await (const page of store.scan(10)) pages.push(page);
    expect(pages).toEqual([]);
  });

  it('scan() pages odd keys in UTF-8 order without skipping or repeating', async () => {
    const store = freshStore();
    await seed(store, ODD_KEYS);
    const seen: string[] = [];
    for await (const page of store.scan(3)) seen.push(...keysOf(page));
    expect(seen).toEqual([...ODD_KEYS].sort(byUtf8));
  });

  it('clear() deletes the sorted set', async () => {
    const store = freshStore();
    await seed(store, ['a']);
    await store.clear();
    expect(await redis.exists(store.key)).toBe(0);
  });
});

describe('compact member encoding', () => {
  it('stores a hex id and a hex etag as base64url and reads them back exactly', () => {
    const f: Facts = {
      key: 'k',
      metaId: '07914c9534586e4e7aa6e9dbca5009082df00112233445566778899aabbccddeeff'.slice(0, 64),
      etag: '9AA9C1783224A1536D3F1E222C9C791B-6',
      size: 344606,
      lastModified: 1_589_780_754_000,
    };
    const member = encodeMember(f);
    expect(member).toBe(
      `k\0~${Buffer.from(f.metaId, 'hex').toString('base64url')}\t~${Buffer.from('9AA9C1783224A1536D3F1E222C9C791B', 'hex').toString('base64url')}:6\t${(344606).toString(36)}\t${(1_589_780_754_000).toString(36)}`,
    );
    expect(member.length).toBeLessThan(1 + 1 + 44 + 1 + 25 + 1 + 4 + 1 + 9);
    expect(decodeMember(member)).toEqual({ ...f, member });
  });

  it('keeps other values as they are, escaping a leading ~ or !', () => {
    for (const v of ['~tilde', '!bang', 'd-abc', 'lowercasehex0123456789abcdef0123']) {
      const f: Facts = { key: 'k', metaId: v, etag: v, size: 1, lastModified: 2 };
      expect(decodeMember(encodeMember(f))).toEqual({ ...f, member: encodeMember(f) });
    }
  });
});

it('round-trips random hex ids and multipart etags (base64url may contain "-" and "_")', async () => {
  const { randomBytes } = await import('node:crypto');
  let sawDash = false;
  for (let i = 0; i < 300; i++) {
    const f: Facts = {
      key: `k${i}`,
      metaId: randomBytes(32).toString('hex'),
      etag: randomBytes(16).toString('hex').toUpperCase() + (i % 2 ? `-${i}` : ''),
      size: i * 7919,
      lastModified: 1_700_000_000_000 + i * 1000,
    };
    const member = encodeMember(f);
    sawDash ||= member.slice(member.indexOf('\0')).includes('-');
    expect(decodeMember(member)).toEqual({ ...f, member });
  }
  expect(sawDash).toBe(true);
});

it('put replaces any member a key had, even one the caller did not know about', async () => {
  const redis2 = redisClient();
  const store = new StateStore(redis2, `${uniquePrefix('state')}:ops:state:d:v1:b`);
  try {
    await store.put([{ key: 'a', metaId: 'm1', etag: 'E1', size: 1, lastModified: 1000 }]);
    await store.put([{ key: 'a/b', metaId: 'm9', etag: 'E9', size: 9, lastModified: 9000 }]);
    // A writer with no idea of the first member (e.g. an upload-event sync) writes the same key.
    await store.put([{ key: 'a', metaId: 'm2', etag: 'E2', size: 2, lastModified: 2000 }]);
    const all = await store.range({});
    expect(all.map((e) => [e.key, e.metaId])).toEqual([
      ['a', 'm2'],
      ['a/b', 'm9'],
    ]);
  } finally {
    await store.clear();
    await redis2.quit();
  }
});

it('put with a stale "previous member" still leaves one member per key', async () => {
  const redis2 = redisClient();
  const store = new StateStore(redis2, `${uniquePrefix('state')}:ops:state:d:v1:b`);
  try {
    await store.put([{ key: 'k', metaId: 'm1', etag: 'E1', size: 1, lastModified: 1000 }]);
    const [first] = await store.range({});
    // Someone else replaced it meanwhile...
    await store.put([{ key: 'k', metaId: 'm2', etag: 'E2', size: 2, lastModified: 2000 }], [first!.member]);
    // ...and a slower writer still believes the first member is there.
    await store.put([{ key: 'k', metaId: 'm3', etag: 'E3', size: 3, lastModified: 3000 }], [first!.member]);
    expect((await store.range({})).map((e) => e.metaId)).toEqual(['m3']);
  } finally {
    await store.clear();
    await redis2.quit();
  }
});

describe('put() reads the batch key range once', () => {
  const pad = (i: number) => `k/${String(i).padStart(3, '0')}`;
  const metaIds = async (store: StateStore) =>
    Object.fromEntries((await store.range({})).map((e) => [e.key, e.metaId]));

  it('replaces keys past a range read that came back full, and leaves the keys between untouched', async () => {
    const store = freshStore();
    await store.put(Array.from({ length: 200 }, (_, i) => facts(pad(i), i)));
    // 4 entries: the range read is limited to 2 * 4 + 16 = 24 members, far fewer than the 200 in range.
    const batch = [pad(0), pad(150), `${pad(100)}x`, pad(199)].map((k) => ({ ...facts(k), metaId: 'new' }));
    await store.put(batch);
    const after = await metaIds(store);
    expect(Object.keys(after)).toHaveLength(201);
    for (const k of [pad(0), pad(150), `${pad(100)}x`, pad(199)]) expect(after[k], k).toBe('new');
    for (const i of [1, 23, 24, 99, 100, 149, 151, 198]) expect(after[pad(i)], pad(i)).toBe(`meta-${i}`);
    expect(await store.count()).toBe(201);
  });

  it('removes every stale member of a key, also several, inside and past the range read', async () => {
    const store = freshStore();
    await store.put(Array.from({ length: 60 }, (_, i) => facts(pad(i), i)));
    // Extra members as racing writers could have left them before this script existed.
    for (const k of [pad(1), pad(59)])
      await redis.zadd(
        store.key,
        0,
        encodeMember({ ...facts(k), metaId: 'stray-1' }),
        0,
        encodeMember({ ...facts(k), metaId: 'stray-2' }),
      );
    await store.put([pad(1), pad(59)].map((k) => ({ ...facts(k), metaId: 'new' })));
    const all = await store.range({});
    expect(all.filter((e) => e.key === pad(1)).map((e) => e.metaId)).toEqual(['new']);
    expect(all.filter((e) => e.key === pad(59)).map((e) => e.metaId)).toEqual(['new']);
    expect(all).toHaveLength(60);
  });

  it('mixes known previous members and creates among keys that prefix each other', async () => {
    const store = freshStore();
    await seed(store, ['a', 'a/', 'a/b', 'ab']);
    const before = Object.fromEntries((await store.range({})).map((e) => [e.key, e.member]));
    const keys = ['a', 'a/', 'a/b', 'a/c', 'ab'];
    // 'a/' with its right previous member, 'a/b' with a wrong one, 'a' and 'ab' without, 'a/c' is new.
    const replace = [undefined, before['a/'], 'a/b\0stale', undefined, undefined];
    await store.put(
      keys.map((k, i) => ({ ...facts(k, i), metaId: `v2-${i}` })),
      replace,
    );
    expect((await store.range({})).map((e) => [e.key, e.metaId])).toEqual(keys.map((k, i) => [k, `v2-${i}`]));
  });

  it('keeps only the last entry when a key occurs twice in one batch', async () => {
    const store = freshStore();
    await seed(store, ['x']);
    await store.put([
      { ...facts('x'), metaId: 'first' },
      { ...facts('y'), metaId: 'y' },
      { ...facts('x'), metaId: 'second' },
    ]);
    expect((await store.range({})).map((e) => [e.key, e.metaId])).toEqual([
      ['x', 'second'],
      ['y', 'y'],
    ]);
  });
});

it('getMany() answers every key in order, undefined where the key has no entry', async () => {
  const store = freshStore();
  await seed(store, ['a', 'a/b', 'ab']);
  const got = await store.getMany(['ab', 'a/', 'a', 'zzz', 'a/b']);
  expect(got.map((e) => e?.key)).toEqual(['ab', undefined, 'a', undefined, 'a/b']);
  expect(await store.getMany([])).toEqual([]);
});
