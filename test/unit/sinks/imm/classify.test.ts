import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../../src/pai/errors.ts';
import { classifyImm, type Confirmation } from '../../../../src/sinks/imm/classify.ts';
import { confirmationOf } from '../../../../src/sinks/imm/confirm.ts';
import { buildInputFile, cutBatches, keyOfTargetId, targetIdOf } from '../../../../src/sinks/imm/request.ts';
import type { SinkItem } from '../../../../src/sinks/sink.ts';

const item = (key: string, op: 'create' | 'update' = 'create'): SinkItem => ({
  item: { key, size: 1, etag: 'E', lastModified: 1000, op },
  facts: {
    bucket: 'bkt',
    key,
    size: 1,
    lastModified: 1000,
    fingerprint: 'E',
    contentType: 'image/jpeg',
    fileType: 'image',
  },
});

describe('classifyImm', () => {
  const batch = [item('a'), item('b', 'update'), item('c'), item('d'), item('e')];
  it.each<[string, Confirmation | undefined, string, Record<string, unknown>]>([
    ['indexed', { status: 'indexed' }, 'delivered', { targetId: 'a' }],
    ['transient index failure', { status: 'failed', reason: '[InternalError] boom' }, 'retryable', {}],
    ['object gone', { status: 'failed', reason: '[ResourceNotFound] no object' }, 'rejected', {}],
    ['cap reached', { status: 'failed', reason: '[LimitExceededError] full' }, 'rejected', {}],
    ['unknown reason', { status: 'failed', reason: 'something odd' }, 'retryable', {}],
    ['never confirmed', undefined, 'retryable', { unsure: true }],
  ])('%s -> %s', (_name, confirmation, kind, extra) => {
    const results = new Map(confirmation ? [['a', confirmation]] : []);
    const v = classifyImm([batch[0]!], { results, waitedMs: 5000 });
    expect(v.fatal).toBeUndefined();
    expect(v.outcomes).toEqual([expect.objectContaining({ kind, ...extra })]);
  });

  it("a failure IMM kept no labels for is only ever retried (it may be an older send's)", () => {
    const results = new Map([
      ['a', { status: 'failed', reason: '[ResourceNotFound] gone', unattributed: true } as Confirmation],
    ]);
    expect(classifyImm([batch[0]!], { results, waitedMs: 1 }).outcomes).toEqual([
      expect.objectContaining({ kind: 'retryable', reason: expect.stringContaining('[ResourceNotFound]') }),
    ]);
  });

  it('keeps the op of an update and gives every item one outcome', () => {
    const results = new Map(batch.map((s) => [s.facts.key, { status: 'indexed' } as Confirmation]));
    const v = classifyImm(batch, { results, waitedMs: 1 });
    expect(v.outcomes.map((o) => [o.item.key, o.kind, o.kind === 'delivered' ? o.op : ''])).toEqual([
      ['a', 'delivered', 'create'],
      ['b', 'delivered', 'update'],
      ['c', 'delivered', 'create'],
      ['d', 'delivered', 'create'],
      ['e', 'delivered', 'create'],
    ]);
  });

  it('a fatal send stops the run; throttling requeues without using a retry; 5xx retries', () => {
    const fatal = classifyImm(batch, {
      sendError: new ApiCallError('fatal', 'BatchIndexFileMeta: ResourceNotFound', 'ResourceNotFound'),
      results: new Map(),
      waitedMs: 0,
    });
    expect(fatal).toEqual({ outcomes: [], fatal: 'BatchIndexFileMeta: ResourceNotFound' });
    const throttled = classifyImm([batch[0]!], {
      sendError: new ApiCallError('throttled', 'slow down', 'Throttling', 250),
      results: new Map(),
      waitedMs: 0,
    });
    expect(throttled.outcomes).toEqual([
      expect.objectContaining({ kind: 'retryable', throttled: true, retryAfterMs: 250 }),
    ]);
    const transient = classifyImm([batch[0]!], {
      sendError: new ApiCallError('transient', '503', 'ServiceUnavailable'),
      results: new Map(),
      waitedMs: 0,
    });
    expect(transient.outcomes[0]).toMatchObject({ kind: 'retryable' });
    expect(transient.outcomes[0]).not.toHaveProperty('throttled');
  });
});

describe('confirmationOf', () => {
  it.each([
    ['absent', undefined, 'pending'],
    ['another send', { URI: 'u', ObjectStatus: 'Indexed', CustomLabels: { SyncSendId: 'old' } }, 'pending'],
    [
      'this send indexed',
      { URI: 'u', ObjectStatus: 'Indexed', CustomLabels: { SyncSendId: 's' } },
      'indexed',
    ],
    [
      'this send failed',
      { URI: 'u', ObjectStatus: 'Failed', Reason: 'x', CustomLabels: { SyncSendId: 's' } },
      'failed',
    ],
    ['no status field', { URI: 'u', CustomLabels: { SyncSendId: 's' } }, 'indexed'],
    [
      'failed, no labels kept',
      { URI: 'u', ObjectStatus: 'Failed', Reason: '[ResourceNotFound] x' },
      'failed',
    ],
  ])('%s -> %s', (_n, file, status) => {
    expect(confirmationOf(file, 's').status).toBe(status);
  });
});

describe('request', () => {
  it('keeps the synced facts in CustomLabels as strings', () => {
    expect(buildInputFile(item('dir/a.jpg').facts, 'S1')).toEqual({
      URI: 'oss://bkt/dir/a.jpg',
      ContentType: 'image/jpeg',
      MediaType: 'image',
      CustomLabels: { SyncFingerprint: 'E', SyncSize: '1', SyncModified: '1000', SyncSendId: 'S1' },
    });
  });

  it.each(['plain/key.jpg', 'tab\there', 'nl\nx', 'nul\0y', '100%/a%09b', 'ü/日本'])(
    'target ids round-trip and hold no separator: %j',
    (key) => {
      const id = targetIdOf(key);
      expect(id).not.toMatch(/[\t\n\0]/);
      expect(keyOfTargetId(id)).toBe(key);
    },
  );

  it('cuts at most 100 files per call and keeps long keys under the URL budget', () => {
    const items = Array.from({ length: 250 }, (_, i) => item(`k${i}`).item);
    expect(cutBatches('bkt', items, 1000).map((b) => b.length)).toEqual([100, 100, 50]);
    const long = Array.from({ length: 100 }, (_, i) => item(`${'x'.repeat(900)}${i}`).item);
    const batches = cutBatches('bkt', long, 100);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toHaveLength(100);
  });
});
