// planPage is rclone's march over one page: a table of named cases, each a listing, a state and the plan.
import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../../src/oss/object-store.ts';
import type { SyncItem } from '../../../src/queue/payloads.ts';
import { planPage, type Plan } from '../../../src/sync/planner.ts';
import { encodeMember, type StateEntry } from '../../../src/sync/state-store.ts';

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5);
const T1 = T0 + 60_000;

/** A listed object; the ETag comes quoted, as OSS sends it, unless told otherwise. */
function obj(key: string, etag: string, size: number, lastModified = T0, quoted = true): ObjectEntry {
  return { key, etag: quoted ? `"${etag}"` : etag, size, lastModified, type: 'Normal' };
}

/** A state entry as the state store returns it (etag kept without quotes). */
function st(key: string, etag: string, size: number, lastModified = T0, metaId = `meta-${key}`): StateEntry {
  const e = { key, metaId, etag, size, lastModified };
  return { ...e, member: encodeMember(e) };
}

const create = (key: string, etag: string, size: number, lastModified = T0): SyncItem => ({
  key,
  etag,
  size,
  lastModified,
  op: 'create',
});

const update = (s: StateEntry, etag: string, size: number, lastModified = T0): SyncItem => ({
  key: s.key,
  etag,
  size,
  lastModified,
  op: 'update',
  metaId: s.metaId,
  prevMember: s.member,
});

const A = st('a.jpg', 'AAAA', 10);
const B = st('b.jpg', 'BBBB', 20);
const C = st('c.jpg', 'CCCC', 30);
const D = st('dir/d.jpg', 'DDDD', 40);

interface Case {
  name: string;
  listed: ObjectEntry[];
  state: StateEntry[];
  want: Plan;
}

const cases: Case[] = [
  {
    name: 'empty page and empty state',
    listed: [],
    state: [],
    want: { items: [], unchanged: 0, vanished: [] },
  },
  {
    name: 'new: listed, not in state',
    listed: [obj('a.jpg', 'AAAA', 10)],
    state: [],
    want: { items: [create('a.jpg', 'AAAA', 10)], unchanged: 0, vanished: [] },
  },
  {
    name: 'unchanged: same etag, size and mtime',
    listed: [obj('a.jpg', 'AAAA', 10)],
    state: [A],
    want: { items: [], unchanged: 1, vanished: [] },
  },
  {
    name: 'unchanged: unquoted listing etag equals the stored etag',
    listed: [obj('a.jpg', 'AAAA', 10, T0, false)],
    state: [A],
    want: { items: [], unchanged: 1, vanished: [] },
  },
  {
    name: 'unchanged: lower-case quoted listing etag equals the normalised stored etag',
    listed: [obj('a.jpg', 'aaaa', 10)],
    state: [A],
    want: { items: [], unchanged: 1, vanished: [] },
  },
  {
    name: 'changed etag',
    listed: [obj('a.jpg', 'ZZZZ', 10)],
    state: [A],
    want: { items: [update(A, 'ZZZZ', 10)], unchanged: 0, vanished: [] },
  },
  {
    name: 'changed size',
    listed: [obj('a.jpg', 'AAAA', 11)],
    state: [A],
    want: { items: [update(A, 'AAAA', 11)], unchanged: 0, vanished: [] },
  },
  {
    name: 'changed mtime',
    listed: [obj('a.jpg', 'AAAA', 10, T1)],
    state: [A],
    want: { items: [update(A, 'AAAA', 10, T1)], unchanged: 0, vanished: [] },
  },
  {
    name: 'multipart etag with a part count, quoted, unchanged',
    listed: [obj('m.bin', '0123456789ABCDEF0123456789ABCDEF-3', 5_000_000)],
    state: [st('m.bin', '0123456789ABCDEF0123456789ABCDEF-3', 5_000_000)],
    want: { items: [], unchanged: 1, vanished: [] },
  },
  {
    name: 'vanished: in state, not listed',
    listed: [],
    state: [A, B],
    want: { items: [], unchanged: 0, vanished: [A, B] },
  },
  {
    name: 'mixed: new, unchanged, changed, vanished on one page',
    listed: [
      obj('a.jpg', 'AAAA', 10),
      obj('b.jpg', 'B2B2', 20),
      obj('b2.jpg', 'NEW1', 5),
      obj('dir/d.jpg', 'DDDD', 41),
    ],
    state: [A, B, C, D],
    want: {
      items: [update(B, 'B2B2', 20), create('b2.jpg', 'NEW1', 5), update(D, 'DDDD', 41)],
      unchanged: 1,
      vanished: [C],
    },
  },
  {
    name: 'odd keys are matched exactly, not by prefix or case',
    listed: [obj('a.JPG', 'AAAA', 10), obj('a.jpg ', 'AAAA', 10), obj('ü 🎉 #?%+.txt', 'EEEE', 1)],
    state: [A, st('ü 🎉 #?%+.txt', 'EEEE', 1)],
    want: { items: [create('a.JPG', 'AAAA', 10), create('a.jpg ', 'AAAA', 10)], unchanged: 1, vanished: [A] },
  },
];

describe('planPage', () => {
  it.each(cases)('$name', ({ listed, state, want }) => {
    expect(planPage(listed, state)).toEqual(want);
  });

  it('strips the quotes from the etag it passes on', () => {
    const plan = planPage([obj('x', 'ABCDEF', 1)], []);
    expect(plan.items[0]?.etag).toBe('ABCDEF');
  });

  it('keeps the order of the listing in the items', () => {
    const listed = ['k3', 'k1', 'k2'].map((k) => obj(k, 'E', 1));
    expect(planPage(listed, []).items.map((i) => i.key)).toEqual(['k3', 'k1', 'k2']);
  });

  it('does not modify its inputs', () => {
    const listed = [obj('a.jpg', 'ZZZZ', 10)];
    const state = [A, B];
    const before = JSON.stringify([listed, state]);
    planPage(listed, state);
    expect(JSON.stringify([listed, state])).toBe(before);
  });

  it('every listed key ends up exactly once as item or unchanged, every state key once as matched or vanished', () => {
    const listed = Array.from({ length: 50 }, (_, i) => obj(`k${i}`, i % 3 === 0 ? 'CHANGED' : 'SAME', 1));
    const state = Array.from({ length: 50 }, (_, i) => st(`k${i * 2}`, 'SAME', 1));
    const plan = planPage(listed, state);
    expect(plan.items.length + plan.unchanged).toBe(listed.length);
    const listedKeys = new Set(listed.map((o) => o.key));
    const matched = state.filter((s) => listedKeys.has(s.key)).length;
    expect(matched + plan.vanished.length).toBe(state.length);
    expect(plan.vanished.every((v) => !listedKeys.has(v.key))).toBe(true);
  });
});
