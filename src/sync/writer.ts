// The PAI sink: writes fingerprinted records in batches and decides, for every item, how it ended:
//   delivered (with its DatasetFileMetaId) | retry (transient: requeue it alone) | reject (permanent: dead-letter)
// Items are matched to FailedDetails by Uri (by DatasetFileMetaId for updates); Status:false is never success.
// Two healing paths keep the dataset free of duplicates after crashes and out-of-band edits:
//   create refused because the Uri already exists -> resolve the record id -> update it instead
//   update refused with Not Found (record deleted elsewhere) -> create it again
import type { ApiGate } from '../queue/api-gate.ts';
import { callWithRetry } from '../pai/call-retry.ts';
import type {
  DatasetApi,
  DatasetTarget,
  FileMetaCreate,
  FileMetaResult,
  FileMetaUpdate,
  WriteResponse,
} from '../pai/dataset-api.ts';
import { ApiCallError, classifyItemResult } from '../pai/errors.ts';
import { unattributedFailure } from '../pai/write-outcome.ts';
import type { SyncItem } from '../queue/payloads.ts';
import { batchByLimits } from './batcher.ts';
import type { Fingerprinted } from './fingerprinter.ts';

export type Delivery =
  | { kind: 'delivered'; item: SyncItem; metaId: string; op: 'create' | 'update' }
  | { kind: 'retry'; item: SyncItem; reason: string; throttled?: boolean; retryAfterMs?: number }
  | { kind: 'reject'; item: SyncItem; reason: string }
  /** The call itself was refused for a reason retrying cannot fix (credentials, parameters): stop the run. */
  | { kind: 'fatal'; item: SyncItem; reason: string };

export interface WriterContext {
  api: DatasetApi;
  target: DatasetTarget;
  gate: ApiGate;
  batchMaxItems: number;
  batchMaxBytes: number;
  /** Counts every call made, including quick retries. */
  onCall?: () => void;
}

interface Pending {
  item: SyncItem;
  record: FileMetaCreate;
  metaId?: string;
}

// The record's size in the request body, without building the JSON twice (the SDK stringifies the batch):
// UTF-8 bytes of the two free-text fields (a CJK key is three bytes a character), the rest is ASCII of
// bounded length. Text that JSON escapes (quotes, control characters) is measured exactly.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\]/;
function textBytes(s: string): number {
  return NEEDS_ESCAPE.test(s)
    ? Buffer.byteLength(JSON.stringify(s), 'utf8')
    : Buffer.byteLength(s, 'utf8') + 2;
}
const jsonSize = (p: Pending) =>
  textBytes(p.record.Uri) +
  textBytes(p.record.FileName) +
  p.record.FileFingerPrint.length +
  p.record.ContentType.length +
  p.record.FileType.length +
  // Field names, punctuation, the two ISO times, the size and the record id of an update.
  280;

async function callBatches<T>(
  ctx: WriterContext,
  batches: Pending[][],
  call: (batch: Pending[]) => Promise<T>,
): Promise<Array<{ batch: Pending[]; res?: T; err?: ApiCallError }>> {
  return Promise.all(
    batches.map(async (batch) => {
      try {
        const res = await callWithRetry(
          ctx.gate,
          async () => {
            ctx.onCall?.();
            return call(batch);
          },
          { maxTries: 3, baseMs: 200 },
        );
        return { batch, res };
      } catch (err) {
        if (err instanceof ApiCallError) return { batch, err };
        throw err;
      }
    }),
  );
}

function failureFor(err: ApiCallError, p: Pending): Delivery {
  return err.kind === 'fatal'
    ? { kind: 'fatal', item: p.item, reason: err.message }
    : {
        kind: 'retry',
        item: p.item,
        reason: err.message,
        ...(err.kind === 'throttled' ? { throttled: true } : {}),
        ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      };
}

function indexFailures(res: WriteResponse): {
  byUri: Map<string, FileMetaResult>;
  byId: Map<string, FileMetaResult>;
} {
  const byUri = new Map<string, FileMetaResult>();
  const byId = new Map<string, FileMetaResult>();
  for (const f of res.failed) {
    if (f.Uri) byUri.set(f.Uri, f);
    if (f.DatasetFileMetaId) byId.set(f.DatasetFileMetaId, f);
  }
  return { byUri, byId };
}

async function resolveIdByUri(ctx: WriterContext, uri: string): Promise<string | undefined> {
  // oss://bucket/dir/name -> FileName "name", FileDir "dir/"; then match the exact Uri among the hits.
  const path = uri.replace(/^oss:\/\/[^/]+\//, '');
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
  let nextToken: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await callWithRetry(
      ctx.gate,
      async () => {
        ctx.onCall?.();
        return ctx.api.listFileMetas(ctx.target, {
          maxResults: 100,
          queryFileName: name,
          ...(dir ? { queryFileDir: dir } : {}),
          ...(nextToken ? { nextToken } : {}),
        });
      },
      { maxTries: 3, baseMs: 200 },
    );
    const hit = page.records.find((r) => r.Uri === uri && (r.Status ?? 'ACTIVE') === 'ACTIVE');
    if (hit) return hit.DatasetFileMetaId;
    if (!page.nextToken) return undefined;
    nextToken = page.nextToken;
  }
  return undefined;
}

async function runCreates(
  ctx: WriterContext,
  creates: Pending[],
  out: Delivery[],
  toUpdate: Pending[],
  mayHeal: boolean,
) {
  const batches = batchByLimits(creates, ctx.batchMaxItems, ctx.batchMaxBytes, jsonSize);
  const results = await callBatches(ctx, batches, (b) =>
    ctx.api.createFileMetas(
      ctx.target,
      b.map((p) => p.record),
    ),
  );
  const unresolved: Pending[] = [];
  for (const { batch, res, err } of results) {
    if (err) {
      for (const p of batch) out.push(failureFor(err, p));
      continue;
    }
    const { byUri } = indexFailures(res!);
    const ok = new Map<string, string>();
    for (const s of res!.succeeded) if (s.Uri && s.DatasetFileMetaId) ok.set(s.Uri, s.DatasetFileMetaId);
    for (const p of batch) {
      const f = byUri.get(p.record.Uri);
      if (f) {
        const outcome = classifyItemResult(f.Result);
        if (outcome === 'exists' && mayHeal) {
          if (f.DatasetFileMetaId) toUpdate.push({ ...p, metaId: f.DatasetFileMetaId });
          else unresolved.push(p);
        } else if (outcome === 'reject') {
          out.push({ kind: 'reject', item: p.item, reason: f.Result ?? 'rejected' });
        } else {
          out.push({ kind: 'retry', item: p.item, reason: f.Result ?? 'failed' });
        }
        continue;
      }
      const id = ok.get(p.record.Uri);
      // No failure and no id (or a Status:false that listed nothing): we cannot know the record id, so try
      // again; the next create heals through "already exists".
      if (id) out.push({ kind: 'delivered', item: p.item, metaId: id, op: 'create' });
      else
        out.push({
          kind: 'retry',
          item: p.item,
          reason: 'created without a DatasetFileMetaId in SucceedDetails',
        });
    }
  }
  for (const p of unresolved) {
    try {
      const id = await resolveIdByUri(ctx, p.record.Uri);
      if (id) toUpdate.push({ ...p, metaId: id });
      else
        out.push({
          kind: 'retry',
          item: p.item,
          reason: 'Uri already exists but its record was not found by ListDatasetFileMetas',
        });
    } catch (err) {
      out.push({
        kind: 'retry',
        item: p.item,
        reason: `resolving an existing record: ${(err as Error).message}`,
      });
    }
  }
}

async function runUpdates(
  ctx: WriterContext,
  updates: Pending[],
  out: Delivery[],
  toCreate: Pending[],
  mayHeal: boolean,
) {
  const batches = batchByLimits(updates, ctx.batchMaxItems, ctx.batchMaxBytes, jsonSize);
  const results = await callBatches(ctx, batches, (b) =>
    ctx.api.updateFileMetas(
      ctx.target,
      b.map((p): FileMetaUpdate => {
        const { Uri: _uri, ...rest } = p.record;
        return { DatasetFileMetaId: p.metaId!, ...rest };
      }),
    ),
  );
  for (const { batch, res, err } of results) {
    if (err) {
      for (const p of batch) out.push(failureFor(err, p));
      continue;
    }
    const { byUri, byId } = indexFailures(res!);
    for (const p of batch) {
      const f = byId.get(p.metaId!) ?? byUri.get(p.record.Uri);
      if (!f) {
        if (unattributedFailure(res!)) {
          out.push({ kind: 'retry', item: p.item, reason: 'Status false without FailedDetails' });
        } else out.push({ kind: 'delivered', item: p.item, metaId: p.metaId!, op: 'update' });
        continue;
      }
      const outcome = classifyItemResult(f.Result);
      if (outcome === 'not-found' && mayHeal) {
        const { metaId: _drop, ...rest } = p;
        toCreate.push(rest);
      } else if (outcome === 'reject')
        out.push({ kind: 'reject', item: p.item, reason: f.Result ?? 'rejected' });
      else out.push({ kind: 'retry', item: p.item, reason: f.Result ?? 'failed' });
    }
  }
}

export async function deliver(ctx: WriterContext, items: readonly Fingerprinted[]): Promise<Delivery[]> {
  const out: Delivery[] = [];
  const creates: Pending[] = [];
  const updates: Pending[] = [];
  for (const f of items) {
    if (f.item.op === 'update' && f.item.metaId)
      updates.push({ item: f.item, record: f.record, metaId: f.item.metaId });
    else creates.push({ item: f.item, record: f.record });
  }
  const healedToUpdate: Pending[] = [];
  const healedToCreate: Pending[] = [];
  await Promise.all([
    runCreates(ctx, creates, out, healedToUpdate, true),
    runUpdates(ctx, updates, out, healedToCreate, true),
  ]);
  // One healing round each way; whatever still conflicts is retried later rather than ping-ponging here.
  const spareUpdate: Pending[] = [];
  const spareCreate: Pending[] = [];
  await Promise.all([
    healedToUpdate.length ? runUpdates(ctx, healedToUpdate, out, spareCreate, false) : undefined,
    healedToCreate.length ? runCreates(ctx, healedToCreate, out, spareUpdate, false) : undefined,
  ]);
  return out;
}
