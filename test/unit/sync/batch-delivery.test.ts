// resolveAgainst: what to do with objects whose earlier write may have been applied, given what the
// target holds for them (adopt, update, create only the absent, remove extra copies).
import { describe, expect, it } from 'vitest';
import type { SyncItem } from '../../../src/queue/payloads.ts';
import type { SinkItem, TargetRecord } from '../../../src/sinks/sink.ts';
import { resolveAgainst } from '../../../src/sync/batch-delivery.ts';

const item = (key: string, over: Partial<SyncItem> = {}): SinkItem => ({
  item: { key, size: 5, etag: 'E', lastModified: 1000, op: 'create', unsure: true, ...over },
  facts: {
    bucket: 'b',
    key,
    size: 5,
    lastModified: 1000,
    fingerprint: 'E',
    contentType: 'text/plain',
    fileType: 'text',
  },
});
const rec = (key: string, id: string, fingerprint = 'E'): TargetRecord => ({
  targetId: id,
  key,
  fingerprint,
  size: 5,
  updateTime: 1000,
});
const sink = {
  isCurrent: (r: TargetRecord, f: SinkItem['facts']) => r.fingerprint === f.fingerprint && r.size === f.size,
};

describe('resolveAgainst', () => {
  it('absent -> create; present and current -> adopted (no write); present but stale -> update it', () => {
    const r = resolveAgainst(
      sink,
      [item('new'), item('written'), item('stale')],
      new Map([
        ['written', [rec('written', 'id-w')]],
        ['stale', [rec('stale', 'id-s', 'OLD')]],
      ]),
    );
    expect(r.next.map((s) => [s.item.key, s.item.op, s.item.metaId, s.item.unsure])).toEqual([
      ['new', 'create', undefined, undefined],
      ['stale', 'update', 'id-s', undefined],
    ]);
    expect(r.done).toEqual([
      expect.objectContaining({ kind: 'delivered', targetId: 'id-w', op: 'create', copies: 1 }),
    ]);
    expect(r.extra).toEqual([]);
  });

  it('several records for one object: keeps one, the others are extra copies to delete', () => {
    const r = resolveAgainst(
      sink,
      [item('a')],
      new Map([['a', [rec('a', 'id-1'), rec('a', 'id-2'), rec('a', 'id-3')]]]),
    );
    expect(r.done).toEqual([expect.objectContaining({ targetId: 'id-1', copies: 3 })]);
    expect(r.extra.map((e) => e.targetId)).toEqual(['id-2', 'id-3']);
  });

  it('an update keeps the record the state points at and is adopted when it already holds the facts', () => {
    const r = resolveAgainst(
      sink,
      [item('a', { op: 'update', metaId: 'id-2', prevMember: 'a\0m' })],
      new Map([['a', [rec('a', 'id-1'), rec('a', 'id-2')]]]),
    );
    expect(r.done).toEqual([expect.objectContaining({ kind: 'delivered', targetId: 'id-2', op: 'update' })]);
    expect(r.extra.map((e) => e.targetId)).toEqual(['id-1']);
  });

  it('an update whose record is gone becomes a create', () => {
    const r = resolveAgainst(sink, [item('a', { op: 'update', metaId: 'gone' })], new Map());
    expect(r.next.map((s) => [s.item.op, s.item.metaId])).toEqual([['create', undefined]]);
  });
});
