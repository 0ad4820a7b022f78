// PURE: turns PAI's answers to one batch into one outcome per item (table-tested in
// test/unit/sinks/pai/classify.test.ts). How PAI answers (see src/emulators/pai/README.md):
//   Status true                          every item not in FailedDetails succeeded
//   Status false with FailedDetails      the listed items failed, the others succeeded
//   Status false, no FailedDetails       unattributable: nothing is success; the items may or may not have
//                                        been written, so they are looked up before they are sent again
// Creates are matched by Uri (SucceedDetails carry the new DatasetFileMetaId), updates by DatasetFileMetaId.
// Healing: a create answered "already exists" becomes an update of that record; an update answered
// "Not Found" (deleted elsewhere) becomes a create.
import type { FileMetaResult, WriteResponse } from '../../pai/dataset-api.ts';
import { classifyItemResult, type ApiCallError } from '../../pai/errors.ts';
import type { BatchVerdict, ItemOutcome } from '../outcome.ts';
import type { SinkItem } from '../sink.ts';
import type { CallResult } from '../gated-call.ts';
import { objectUri } from './request.ts';

/** The answers to one batch: a Create call for its new items, an Update call for the others. */
export interface PaiAnswer {
  create?: CallResult<WriteResponse>;
  update?: CallResult<WriteResponse>;
}

export const isUpdate = (s: SinkItem): boolean => s.item.op === 'update' && s.item.metaId !== undefined;

const uriOf = (s: SinkItem) => objectUri(s.facts.bucket, s.facts.key);

function callFailed(s: SinkItem, err: ApiCallError): ItemOutcome {
  if (err.kind === 'throttled')
    return {
      kind: 'retryable',
      item: s.item,
      reason: err.message,
      throttled: true,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    };
  // 5xx, reset, timeout: the service may have applied the write before the answer was lost.
  return { kind: 'retryable', item: s.item, reason: err.message, unsure: true };
}

function itemFailed(s: SinkItem, f: FileMetaResult, op: 'create' | 'update'): ItemOutcome {
  const reason = f.Result ?? 'failed without a Result';
  switch (classifyItemResult(f.Result)) {
    case 'exists':
      if (op === 'create')
        return {
          kind: 'retryable',
          item: s.item,
          reason,
          heal: f.DatasetFileMetaId ? { op: 'update', targetId: f.DatasetFileMetaId } : { op: 'update' },
        };
      return { kind: 'retryable', item: s.item, reason };
    case 'not-found':
      if (op === 'update') return { kind: 'retryable', item: s.item, reason, heal: { op: 'create' } };
      return { kind: 'retryable', item: s.item, reason };
    case 'reject':
      return { kind: 'rejected', item: s.item, reason };
    default:
      return { kind: 'retryable', item: s.item, reason };
  }
}

function classifyCreates(items: SinkItem[], r: CallResult<WriteResponse>): ItemOutcome[] {
  if (!r.ok) return items.map((s) => callFailed(s, r.error));
  const res = r.value;
  const failed = new Map<string, FileMetaResult>();
  for (const f of res.failed) if (f.Uri) failed.set(f.Uri, f);
  const created = new Map<string, string>();
  for (const s of res.succeeded) if (s.Uri && s.DatasetFileMetaId) created.set(s.Uri, s.DatasetFileMetaId);
  const unattributed = !res.status && res.failed.length === 0;
  return items.map((s): ItemOutcome => {
    const uri = uriOf(s);
    const f = failed.get(uri);
    if (f) return itemFailed(s, f, 'create');
    const id = created.get(uri);
    if (id && !unattributed) return { kind: 'delivered', item: s.item, targetId: id, op: 'create' };
    // Written or not, we do not know its id: look it up rather than create a second record.
    return {
      kind: 'retryable',
      item: s.item,
      reason: unattributed
        ? 'Status false without FailedDetails'
        : 'created without a DatasetFileMetaId in SucceedDetails',
      unsure: true,
    };
  });
}

function classifyUpdates(items: SinkItem[], r: CallResult<WriteResponse>): ItemOutcome[] {
  if (!r.ok) return items.map((s) => callFailed(s, r.error));
  const res = r.value;
  const byId = new Map<string, FileMetaResult>();
  const byUri = new Map<string, FileMetaResult>();
  for (const f of res.failed) {
    if (f.DatasetFileMetaId) byId.set(f.DatasetFileMetaId, f);
    if (f.Uri) byUri.set(f.Uri, f);
  }
  const unattributed = !res.status && res.failed.length === 0;
  return items.map((s): ItemOutcome => {
    const f = byId.get(s.item.metaId!) ?? byUri.get(uriOf(s));
    if (f) return itemFailed(s, f, 'update');
    if (unattributed)
      return { kind: 'retryable', item: s.item, reason: 'Status false without FailedDetails', unsure: true };
    return { kind: 'delivered', item: s.item, targetId: s.item.metaId!, op: 'update' };
  });
}

export function classifyPai(batch: readonly SinkItem[], answer: PaiAnswer): BatchVerdict {
  const creates = batch.filter((s) => !isUpdate(s));
  const updates = batch.filter(isUpdate);
  // A call refused for a reason retrying cannot fix (credentials, a malformed request) stops the run.
  for (const r of [answer.create, answer.update])
    if (r && !r.ok && r.error.kind === 'fatal') return { outcomes: [], fatal: r.error.message };
  const missing =
    (what: string) =>
    (s: SinkItem): ItemOutcome => ({
      kind: 'retryable',
      item: s.item,
      reason: `no ${what} answer`,
    });
  return {
    outcomes: [
      ...(creates.length
        ? answer.create
          ? classifyCreates(creates, answer.create)
          : creates.map(missing('create'))
        : []),
      ...(updates.length
        ? answer.update
          ? classifyUpdates(updates, answer.update)
          : updates.map(missing('update'))
        : []),
    ],
  };
}
