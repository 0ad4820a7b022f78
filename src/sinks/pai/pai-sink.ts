// The PAI dataset sink: CreateDatasetFileMetas / UpdateDatasetFileMetas answer synchronously, so confirm
// is the answer itself. The roles live one per file: request.ts (records and batches), call.ts (the call
// through the API gate), classify.ts (pure outcomes), lookup.ts (resolving lost answers by Uri).
import type { DatasetApi, DatasetTarget, FileMetaRecord, WriteResponse } from '../../pai/dataset-api.ts';
import { deleteOutcome } from '../../pai/write-outcome.ts';
import type { ApiGate } from '../../queue/api-gate.ts';
import type { CallGuard, ObjectFacts, Sink, SinkItem, TargetRecord } from '../sink.ts';
import { gatedCall, gatedCallOrThrow } from '../gated-call.ts';
import { classifyPai, isUpdate, type PaiAnswer } from './classify.ts';
import { keyOfUri, lookupExpressions } from './lookup.ts';
import { buildRecord, buildUpdate, cutBatches, paiTime } from './request.ts';

export interface PaiSinkOptions {
  api: DatasetApi;
  target: DatasetTarget;
  gate: ApiGate;
  bucket: string;
  batchMaxItems: number;
  batchMaxBytes: number;
}

export type PaiSink = Sink<PaiAnswer, PaiAnswer>;

const PAGE = 100;

function toTarget(bucket: string, r: FileMetaRecord): TargetRecord | undefined {
  const key = keyOfUri(bucket, r.Uri);
  if (key === undefined || (r.Status ?? 'ACTIVE') !== 'ACTIVE') return undefined;
  const t = r.FileUpdateTime ? Date.parse(r.FileUpdateTime) : Number.NaN;
  return {
    targetId: r.DatasetFileMetaId,
    key,
    ...(r.FileFingerPrint !== undefined ? { fingerprint: r.FileFingerPrint } : {}),
    ...(r.DataSize !== undefined ? { size: r.DataSize } : {}),
    ...(Number.isFinite(t) ? { updateTime: t } : {}),
  };
}

export function createPaiSink(o: PaiSinkOptions): PaiSink {
  const { api, target, gate } = o;
  const write = (guard: CallGuard, fn: () => Promise<WriteResponse>) =>
    gatedCall(gate, guard, fn, { maxTries: 3 });

  return {
    name: 'pai',

    batches: (items) => cutBatches(o.bucket, items, o.batchMaxItems, o.batchMaxBytes),

    async send(batch: readonly SinkItem[], guard): Promise<PaiAnswer> {
      const creates = batch.filter((s) => !isUpdate(s));
      const updates = batch.filter(isUpdate);
      const [create, update] = await Promise.all([
        creates.length
          ? write(guard, () =>
              api.createFileMetas(
                target,
                creates.map((s) => buildRecord(s.facts)),
              ),
            )
          : undefined,
        updates.length
          ? write(guard, () =>
              api.updateFileMetas(
                target,
                updates.map((s) => buildUpdate(s.facts, s.item.metaId!)),
              ),
            )
          : undefined,
      ]);
      return { ...(create ? { create } : {}), ...(update ? { update } : {}) };
    },

    // PAI answers synchronously: the answer is the confirmation.
    confirm: async (_batch, sent) => sent,

    classify: classifyPai,

    isCurrent(r: TargetRecord, f: ObjectFacts): boolean {
      // PAI keeps whole seconds (request.ts sends them): compare in that resolution.
      return (
        r.fingerprint === f.fingerprint &&
        r.size === f.size &&
        r.updateTime !== undefined &&
        paiTime(r.updateTime) === paiTime(f.lastModified)
      );
    },

    async lookup(keys, guard) {
      const wanted = new Set(keys);
      const found = new Map<string, TargetRecord[]>();
      for (const expr of lookupExpressions(keys)) {
        let nextToken: string | undefined;
        do {
          const page = await gatedCallOrThrow(
            gate,
            guard,
            () =>
              api.listFileMetas(target, {
                maxResults: PAGE,
                queryExpression: expr,
                ...(nextToken ? { nextToken } : {}),
              }),
            { idempotent: true, maxTries: 4 },
          );
          for (const r of page.records) {
            const t = toTarget(o.bucket, r);
            if (!t || !wanted.has(t.key)) continue;
            const list = found.get(t.key) ?? [];
            if (!list.some((x) => x.targetId === t.targetId)) list.push(t);
            found.set(t.key, list);
          }
          nextToken = page.nextToken;
        } while (nextToken);
      }
      return found;
    },

    async remove(ids, guard) {
      const res = await gatedCallOrThrow(gate, guard, () => api.deleteFileMetas(target, [...ids]), {
        // A repeated delete cannot do harm: a record already gone answers Not Found, which counts as gone.
        idempotent: true,
        maxTries: 4,
      });
      return deleteOutcome(res, ids);
    },

    async *list(guard) {
      let nextToken: string | undefined;
      do {
        const page = await gatedCallOrThrow(
          gate,
          guard,
          () => api.listFileMetas(target, { maxResults: PAGE, ...(nextToken ? { nextToken } : {}) }),
          { idempotent: true, maxTries: 5 },
        );
        const out: TargetRecord[] = [];
        for (const r of page.records) {
          const t = toTarget(o.bucket, r);
          if (t) out.push(t);
        }
        yield out;
        nextToken = page.nextToken;
      } while (nextToken);
    },
  };
}
