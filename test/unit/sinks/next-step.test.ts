// nextStep: outcomes -> the batch's checkpoint (state writes, counters, requeues, dead letters, fatal).
import { describe, expect, it } from 'vitest';
import type { SyncItem } from '../../../src/queue/payloads.ts';
import { gaveUp, MAX_THROTTLED_REQUEUES, nextStep, type StepInput } from '../../../src/sinks/next-step.ts';
import type { ItemOutcome } from '../../../src/sinks/outcome.ts';

const it0 = (key: string, over: Partial<SyncItem> = {}): SyncItem => ({
  key,
  size: 3,
  etag: 'E',
  lastModified: 1000,
  op: 'create',
  ...over,
});
const input = (outcomes: ItemOutcome[], over: Partial<StepInput> = {}): StepInput => ({
  runId: 'r1',
  bindingId: 'b1',
  now: 42,
  maxRetries: 2,
  outcomes,
  vanished: [],
  duplicatesRemoved: 0,
  ...over,
});

describe('nextStep', () => {
  it('all delivered: one state entry each (replacing the old member), created/updated counted', () => {
    const s = nextStep(
      input([
        { kind: 'delivered', item: it0('a'), targetId: 'id-a', op: 'create' },
        {
          kind: 'delivered',
          item: it0('b', { op: 'update', metaId: 'id-b', prevMember: 'b\0old' }),
          targetId: 'id-b',
          op: 'update',
        },
      ]),
    );
    expect(s.state).toEqual([
      { entry: { key: 'a', metaId: 'id-a', etag: 'E', size: 3, lastModified: 1000 } },
      { entry: { key: 'b', metaId: 'id-b', etag: 'E', size: 3, lastModified: 1000 }, replaces: 'b\0old' },
    ]);
    expect(s.counters).toMatchObject({ created: 1, updated: 1, retried: 0, rejected: 0 });
    expect(s.requeue).toEqual([]);
    expect(s.dead).toEqual([]);
  });

  it('partial failure: retryable items are requeued with one more try, rejected ones dead-lettered', () => {
    const s = nextStep(
      input([
        { kind: 'delivered', item: it0('a'), targetId: 'id-a', op: 'create' },
        { kind: 'retryable', item: it0('b', { tries: 1 }), reason: 'InternalError' },
        { kind: 'rejected', item: it0('c'), reason: 'InvalidParameter: x' },
      ]),
    );
    expect(s.requeue).toEqual([it0('b', { tries: 2, throttles: 0 })]);
    expect(s.dead).toEqual([
      { runId: 'r1', bindingId: 'b1', item: it0('c'), reason: 'InvalidParameter: x', at: 42 },
    ]);
    expect(s.counters).toMatchObject({ created: 1, retried: 1, rejected: 1 });
    expect(s.onlyThrottled).toBe(false);
  });

  it('past maxRetries an item is dead-lettered with the last reason', () => {
    const s = nextStep(input([{ kind: 'retryable', item: it0('b', { tries: 2 }), reason: 'still 5xx' }]));
    expect(s.requeue).toEqual([]);
    expect(s.dead[0]?.reason).toBe('gave up after 3 failed attempts (2 retries, --max-retries 2): still 5xx');
  });

  it.each([
    [2, 0, 1, 'gave up after 2 failed attempts (1 retry, --max-retries 1)'],
    [1, 0, 0, 'gave up after 1 failed attempt (0 retries, --max-retries 0)'],
    [9, 3, 8, 'gave up after 9 failed attempts (8 retries, --max-retries 8, 3 throttled requeues)'],
    [1, 1, 8, 'gave up after 1 failed attempt (0 retries, --max-retries 8, 1 throttled requeue)'],
  ])(
    'the dead-letter reason counts attempts and retries apart: %i attempts',
    (tries, throttles, max, text) => {
      expect(gaveUp(tries, throttles, max)).toBe(text);
    },
  );

  it('Status:false / lost answer: unsure items are requeued marked unsure (looked up before resending)', () => {
    const s = nextStep(
      input([
        { kind: 'retryable', item: it0('a'), reason: 'Status false without FailedDetails', unsure: true },
      ]),
    );
    expect(s.requeue).toEqual([it0('a', { tries: 1, throttles: 0, unsure: true })]);
  });

  it('a created item without an id: requeued unsure', () => {
    const s = nextStep(
      input([{ kind: 'retryable', item: it0('a'), reason: 'created without an id', unsure: true }]),
    );
    expect(s.requeue[0]?.unsure).toBe(true);
    expect(s.state).toEqual([]);
  });

  it('"already exists" healing: requeued as an update of that record, or unsure without its id', () => {
    const s = nextStep(
      input([
        { kind: 'retryable', item: it0('a'), reason: 'exists', heal: { op: 'update', targetId: 'id-a' } },
        { kind: 'retryable', item: it0('b'), reason: 'exists', heal: { op: 'update' } },
      ]),
    );
    expect(s.requeue).toEqual([
      it0('a', { op: 'update', metaId: 'id-a', tries: 1, throttles: 0 }),
      it0('b', { op: 'create', unsure: true, tries: 1, throttles: 0 }),
    ]);
  });

  it('update "Not Found" healing: requeued as a create that still replaces the old state member', () => {
    const s = nextStep(
      input([
        {
          kind: 'retryable',
          item: it0('a', { op: 'update', metaId: 'gone', prevMember: 'a\0old' }),
          reason: 'Not Found',
          heal: { op: 'create' },
        },
      ]),
    );
    expect(s.requeue).toEqual([it0('a', { op: 'create', prevMember: 'a\0old', tries: 1, throttles: 0 })]);
  });

  it('throttling uses up no retry, has its own cap, and carries the retry-after', () => {
    const s = nextStep(
      input([
        {
          kind: 'retryable',
          item: it0('a', { tries: 2 }),
          reason: 'Throttling',
          throttled: true,
          retryAfterMs: 900,
        },
        {
          kind: 'retryable',
          item: it0('b', { throttles: MAX_THROTTLED_REQUEUES }),
          reason: 'Throttling',
          throttled: true,
        },
      ]),
    );
    expect(s.requeue).toEqual([it0('a', { tries: 2, throttles: 1 })]);
    expect(s.dead.map((d) => d.item.key)).toEqual(['b']);
    expect(s.retryAfterMs).toBe(900);
    expect(s.onlyThrottled).toBe(true);
  });

  it('5xx: requeued unsure, and the follow-up backs off (not only throttled)', () => {
    const s = nextStep(input([{ kind: 'retryable', item: it0('a'), reason: '503', unsure: true }]));
    expect(s.requeue[0]).toMatchObject({ key: 'a', unsure: true, tries: 1 });
    expect(s.onlyThrottled).toBe(false);
  });

  it('fatal: nothing requeued, what was left is dead-lettered with the reason; delivered ones still count', () => {
    const s = nextStep(
      input(
        [
          { kind: 'delivered', item: it0('a'), targetId: 'id-a', op: 'create' },
          { kind: 'retryable', item: it0('b'), reason: 'Forbidden' },
        ],
        { fatal: 'Forbidden.RAM' },
      ),
    );
    expect(s.fatal).toBe('Forbidden.RAM');
    expect(s.requeue).toEqual([]);
    expect(s.dead.map((d) => [d.item.key, d.reason])).toEqual([['b', 'run stopped: Forbidden.RAM']]);
    expect(s.counters.created).toBe(1);
  });

  it('adopted records with copies: every copy counts as created, removed copies as deleted', () => {
    const s = nextStep(
      input([{ kind: 'delivered', item: it0('a'), targetId: 'id-a', op: 'create', copies: 3 }], {
        duplicatesRemoved: 2,
      }),
    );
    expect(s.counters).toMatchObject({ created: 3, deleted: 2, duplicatesRemoved: 2 });
  });

  it('vanished objects are counted; those the state knew become delete candidates', () => {
    const s = nextStep(input([], { vanished: [it0('a'), it0('b', { op: 'update', prevMember: 'b\0m' })] }));
    expect(s.counters.vanished).toBe(2);
    expect(s.deleteCandidates).toEqual([{ key: 'b', member: 'b\0m' }]);
  });
});
