// The IMM dataset sink. BatchIndexFileMeta answers an EventId at once and indexes later, so a batch counts
// as delivered only when BatchGetFileMeta shows the files of THIS send indexed (confirm.ts). Roles one per
// file: request.ts (InputFiles, ids, batches), confirm.ts (polling), classify.ts (pure outcomes),
// ensure-dataset.ts (project check, dataset creation). Lookups, removals and listings are by URI.
import type { ImmApi, ImmFile, ImmTarget } from '../../imm/imm-api.ts';
import { IMM_MAX_BATCH } from '../../imm/imm-api.ts';
import type { ApiCallError } from '../../pai/errors.ts';
import type { ApiGate } from '../../queue/api-gate.ts';
import { gatedCall, gatedCallOrThrow } from '../gated-call.ts';
import type { CallGuard, ObjectFacts, Sink, SinkItem, TargetRecord } from '../sink.ts';
import { classifyImm, type ImmAnswer } from './classify.ts';
import { confirmIndexed } from './confirm.ts';
import {
  LABEL,
  buildInputFile,
  cutBatches,
  keyOfTargetId,
  keyOfUri,
  newSendId,
  objectUri,
  targetIdOf,
} from './request.ts';

export interface ImmSinkOptions {
  api: ImmApi;
  target: ImmTarget;
  gate: ApiGate;
  bucket: string;
  batchMaxItems: number;
  /** How long a batch may take to show up indexed before it is retried (default 120 s). */
  confirmTimeoutMs?: number;
  /** First wait before reading the batch back (default 100 ms; then x1.5 up to 2 s). */
  confirmPollMs?: number;
}

export interface ImmSent {
  sendId: string;
  error?: ApiCallError;
}

export type ImmSink = Sink<ImmSent, ImmAnswer>;

const PAGE = 100;

/** What a file read back says about the object, from our labels (IMM's own fields as a fallback). */
export function toTargetRecord(bucket: string, f: ImmFile): TargetRecord | undefined {
  const key = keyOfUri(bucket, f.URI);
  if (key === undefined || (f.ObjectStatus !== undefined && !/^indexed$/i.test(f.ObjectStatus)))
    return undefined;
  const labels = f.CustomLabels ?? {};
  const fp = labels[LABEL.fingerprint];
  const size = Number(labels[LABEL.size] ?? f.Size);
  const modified = Number(
    labels[LABEL.modified] ?? (f.FileModifiedTime ? Date.parse(f.FileModifiedTime) : NaN),
  );
  return {
    targetId: targetIdOf(key),
    key,
    ...(typeof fp === 'string'
      ? { fingerprint: fp }
      : f.ETag
        ? { fingerprint: f.ETag.replace(/"/g, '') }
        : {}),
    ...(Number.isFinite(size) ? { size } : {}),
    ...(Number.isFinite(modified) ? { updateTime: modified } : {}),
  };
}

export function createImmSink(o: ImmSinkOptions): ImmSink {
  const { api, target, gate, bucket } = o;
  const read = <T>(guard: CallGuard, fn: () => Promise<T>) =>
    gatedCallOrThrow(gate, guard, fn, { idempotent: true, maxTries: 4 });
  let salt = 0;

  return {
    name: 'imm',

    batches: (items) => cutBatches(bucket, items, o.batchMaxItems),

    async send(batch: readonly SinkItem[], guard): Promise<ImmSent> {
      const sendId = newSendId(
        batch.map((s) => s.facts.key),
        Date.now(),
        salt++,
      );
      // Indexing is an upsert by URI: a resend after a lost answer cannot create a second file, so 5xx and
      // network failures may be retried here like reads.
      const r = await gatedCall(
        gate,
        guard,
        () =>
          api.batchIndex(
            target,
            batch.map((s) => buildInputFile(s.facts, sendId)),
          ),
        { idempotent: true, maxTries: 3 },
      );
      return r.ok ? { sendId } : { sendId, error: r.error };
    },

    async confirm(batch, sent, guard): Promise<ImmAnswer> {
      if (sent.error) return { sendError: sent.error, results: new Map(), waitedMs: 0 };
      const { results, waitedMs } = await confirmIndexed(
        {
          api,
          target,
          bucket,
          read: (g, fn) => read(g, fn),
          timeoutMs: o.confirmTimeoutMs ?? 120_000,
          pollMs: o.confirmPollMs ?? 100,
        },
        batch.map((s) => s.facts.key),
        sent.sendId,
        guard,
      );
      return { results, waitedMs };
    },

    classify: classifyImm,

    isCurrent(r: TargetRecord, f: ObjectFacts): boolean {
      return r.fingerprint === f.fingerprint && r.size === f.size && r.updateTime === f.lastModified;
    },

    async lookup(keys, guard) {
      const found = new Map<string, TargetRecord[]>();
      const unique = [...new Set(keys)];
      for (let i = 0; i < unique.length; i += IMM_MAX_BATCH) {
        const chunk = unique.slice(i, i + IMM_MAX_BATCH);
        const files = await read(guard, () =>
          api.batchGet(
            target,
            chunk.map((k) => objectUri(bucket, k)),
          ),
        );
        for (const f of files) {
          const t = toTargetRecord(bucket, f);
          // A URI holds one file: there are never copies to remove.
          if (t) found.set(t.key, [t]);
        }
      }
      return found;
    },

    async remove(ids, guard) {
      const uris = ids.map((id) => objectUri(bucket, keyOfTargetId(id)));
      for (let i = 0; i < uris.length; i += IMM_MAX_BATCH) {
        const chunk = uris.slice(i, i + IMM_MAX_BATCH);
        // Idempotent: a URI the dataset no longer holds is not an error.
        await read(guard, () => api.batchDelete(target, chunk));
      }
      return { gone: [...ids], failed: [] };
    },

    async *list(guard) {
      let nextToken: string | undefined;
      const query = { Field: 'URI', Operation: 'prefix', Value: objectUri(bucket, '') };
      do {
        const page = await read(guard, () =>
          api.simpleQuery(target, { query, maxResults: PAGE, ...(nextToken ? { nextToken } : {}) }),
        );
        const out: TargetRecord[] = [];
        for (const f of page.files) {
          const t = toTargetRecord(bucket, f);
          if (t) out.push(t);
        }
        yield out;
        nextToken = page.nextToken;
      } while (nextToken);
    },
  };
}
