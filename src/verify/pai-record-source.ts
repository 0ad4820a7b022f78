// RecordSource over PAI's ListDatasetFileMetas: 100 records a call, NextToken chained, every call through the
// binding's API gate and the one-call retry policy, so a verify shares the rate budget with running workers
// instead of getting them throttled.
import type { ApiGate } from '../queue/api-gate.ts';
import { callPaiOrThrow } from '../sinks/pai/call.ts';
import type { DatasetApi, DatasetTarget } from '../pai/dataset-api.ts';
import { keyOfUri, type RecordSource, type TargetRecord } from './record-source.ts';

export function paiRecordSource(
  api: DatasetApi,
  gate: ApiGate,
  target: DatasetTarget,
  bucket: string,
): RecordSource {
  // Reads, and deletes of records found by the read: repeating either cannot do anything twice.
  const retry = { maxTries: 5, idempotent: true };
  const noGuard = async () => {};
  return {
    async *pages() {
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const page = await callPaiOrThrow(
          gate,
          noGuard,
          () => api.listFileMetas(target, { maxResults: 100, ...(token ? { nextToken: token } : {}) }),
          retry,
        );
        const out: TargetRecord[] = [];
        for (const r of page.records) {
          const key = keyOfUri(bucket, r.Uri);
          if (key === undefined) continue;
          const updatedAt = r.FileUpdateTime ? Date.parse(r.FileUpdateTime) : NaN;
          out.push({
            key,
            id: r.DatasetFileMetaId,
            ...(r.FileFingerPrint !== undefined ? { fingerprint: r.FileFingerPrint } : {}),
            ...(r.DataSize !== undefined ? { size: r.DataSize } : {}),
            ...(Number.isFinite(updatedAt) ? { updatedAt } : {}),
          });
        }
        yield out;
        nextToken = page.nextToken;
      } while (nextToken);
    },
    async deleteRecords(ids) {
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        const res = await callPaiOrThrow(gate, noGuard, () => api.deleteFileMetas(target, chunk), retry);
        // A record already gone is what we wanted; anything else is reported, not swallowed.
        const bad = res.failed.filter((f) => !/not\s*found|not\s*exist/i.test(f.Result ?? ''));
        if (bad.length > 0)
          throw new Error(
            `DeleteDatasetFileMetas refused ${bad.length} record(s): ${bad[0]?.DatasetFileMetaId ?? ''} ${bad[0]?.Result ?? ''}`,
          );
      }
    },
  };
}
