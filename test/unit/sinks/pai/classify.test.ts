// classifyPai: PAI's answers to one batch -> one outcome per item, or fatal for the run. Pure: a table.
import { describe, expect, it } from 'vitest';
import type { WriteResponse } from '../../../../src/pai/dataset-api.ts';
import { ApiCallError } from '../../../../src/pai/errors.ts';
import type { SyncItem } from '../../../../src/queue/payloads.ts';
import type { CallResult } from '../../../../src/sinks/gated-call.ts';
import { classifyPai, type PaiAnswer } from '../../../../src/sinks/pai/classify.ts';
import type { SinkItem } from '../../../../src/sinks/sink.ts';

const item = (key: string, over: Partial<SyncItem> = {}): SinkItem => ({
  item: { key, size: 1, etag: 'E', lastModified: 0, op: 'create', ...over },
  facts: {
    bucket: 'b',
    key,
    size: 1,
    lastModified: 0,
    fingerprint: 'E',
    contentType: 'text/plain',
    fileType: 'text',
  },
});
const upd = (key: string, id: string) => item(key, { op: 'update', metaId: id, prevMember: `${key}\0old` });
const ok = (res: Partial<WriteResponse>): CallResult<WriteResponse> => ({
  ok: true,
  value: { status: true, failed: [], succeeded: [], ...res },
});
const err = (kind: 'throttled' | 'transient' | 'fatal', code: string, retryAfterMs?: number) =>
  ({ ok: false, error: new ApiCallError(kind, `${code}: boom`, code, retryAfterMs) }) as const;

type Row = [
  name: string,
  batch: SinkItem[],
  answer: PaiAnswer,
  expected: Array<Record<string, unknown>> | { fatal: RegExp },
];

const rows: Row[] = [
  [
    'all delivered (creates with ids, updates by id)',
    [item('a'), item('b'), upd('c', 'id-c')],
    {
      create: ok({
        succeeded: [
          { Uri: 'oss://b/a', DatasetFileMetaId: 'id-a' },
          { Uri: 'oss://b/b', DatasetFileMetaId: 'id-b' },
        ],
      }),
      update: ok({}),
    },
    [
      { key: 'a', kind: 'delivered', targetId: 'id-a', op: 'create' },
      { key: 'b', kind: 'delivered', targetId: 'id-b', op: 'create' },
      { key: 'c', kind: 'delivered', targetId: 'id-c', op: 'update' },
    ],
  ],
  [
    'partial failure: the listed items fail (retryable or rejected), the others succeed',
    [item('a'), item('b'), item('c')],
    {
      create: ok({
        status: false,
        failed: [
          { Uri: 'oss://b/b', Result: 'InternalError: please retry' },
          { Uri: 'oss://b/c', Result: 'InvalidParameter: FileType is required' },
        ],
        succeeded: [{ Uri: 'oss://b/a', DatasetFileMetaId: 'id-a' }],
      }),
    },
    [
      { key: 'a', kind: 'delivered', targetId: 'id-a' },
      { key: 'b', kind: 'retryable', unsure: undefined, heal: undefined },
      { key: 'c', kind: 'rejected', reason: 'InvalidParameter: FileType is required' },
    ],
  ],
  [
    'Status:false without FailedDetails: nothing is success, every item is unsure (looked up next)',
    [item('a'), upd('b', 'id-b')],
    {
      create: ok({ status: false, succeeded: [{ Uri: 'oss://b/a', DatasetFileMetaId: 'id-a' }] }),
      update: ok({ status: false }),
    },
    [
      { key: 'a', kind: 'retryable', unsure: true },
      { key: 'b', kind: 'retryable', unsure: true },
    ],
  ],
  [
    'a created item without an id: unsure (it exists; the lookup adopts it)',
    [item('a'), item('b')],
    { create: ok({ succeeded: [{ Uri: 'oss://b/a', DatasetFileMetaId: 'id-a' }, { Uri: 'oss://b/b' }] }) },
    [
      { key: 'a', kind: 'delivered', targetId: 'id-a' },
      { key: 'b', kind: 'retryable', unsure: true },
    ],
  ],
  [
    '"already exists" with the id heals into an update of that record',
    [item('a')],
    {
      create: ok({
        status: false,
        failed: [{ Uri: 'oss://b/a', DatasetFileMetaId: 'id-old', Result: 'Uri already exists' }],
      }),
    },
    [{ key: 'a', kind: 'retryable', heal: { op: 'update', targetId: 'id-old' } }],
  ],
  [
    '"already exists" without an id heals through a lookup',
    [item('a')],
    { create: ok({ status: false, failed: [{ Uri: 'oss://b/a', Result: 'Uri already exists' }] }) },
    [{ key: 'a', kind: 'retryable', heal: { op: 'update' } }],
  ],
  [
    'update "Not Found" (deleted elsewhere) heals into a create',
    [upd('a', 'id-a'), upd('b', 'id-b')],
    {
      update: ok({ status: false, failed: [{ DatasetFileMetaId: 'id-a', Result: 'Not Found' }] }),
    },
    [
      { key: 'a', kind: 'retryable', heal: { op: 'create' } },
      { key: 'b', kind: 'delivered', targetId: 'id-b', op: 'update' },
    ],
  ],
  [
    'throttling: retryable, throttled, with the retry-after; not unsure (the gateway refused it)',
    [item('a'), upd('b', 'id-b')],
    { create: err('throttled', 'Throttling.User', 750), update: err('throttled', 'Throttling.User') },
    [
      { key: 'a', kind: 'retryable', throttled: true, retryAfterMs: 750, unsure: undefined },
      { key: 'b', kind: 'retryable', throttled: true, unsure: undefined },
    ],
  ],
  [
    '5xx or a reset: retryable and unsure (the write may have been applied before the answer was lost)',
    [item('a'), upd('b', 'id-b')],
    { create: err('transient', 'InternalError'), update: err('transient', 'ECONNRESET') },
    [
      { key: 'a', kind: 'retryable', unsure: true },
      { key: 'b', kind: 'retryable', unsure: true },
    ],
  ],
  [
    'a call refused for good (4xx) stops the run',
    [item('a'), upd('b', 'id-b')],
    { create: err('fatal', 'Forbidden.RAM'), update: ok({}) },
    { fatal: /Forbidden\.RAM/ },
  ],
];

describe('classifyPai', () => {
  it.each(rows)('%s', (_name, batch, answer, expected) => {
    const verdict = classifyPai(batch, answer);
    if (!Array.isArray(expected)) {
      expect(verdict.fatal).toMatch(expected.fatal);
      return;
    }
    expect(verdict.fatal).toBeUndefined();
    // Every item exactly once.
    expect(verdict.outcomes.map((o) => o.item.key).sort()).toEqual(batch.map((b) => b.item.key).sort());
    for (const want of expected) {
      const got = verdict.outcomes.find((o) => o.item.key === want.key)!;
      const { key: _k, ...fields } = want;
      for (const [f, v] of Object.entries(fields)) expect((got as Record<string, unknown>)[f]).toEqual(v);
    }
  });
});
