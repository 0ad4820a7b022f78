// RecordSource over the binding's sink (src/sinks): its `list` role reads every record (PAI:
// ListDatasetFileMetas, IMM: SimpleQuery on the bucket's URI prefix) and `remove` deletes, both through the
// binding's API gate, so verify works for every target and shares the rate budget with running workers.
import type { Sink } from '../sinks/sink.ts';
import type { RecordSource } from './record-source.ts';

export function sinkRecordSource(sink: Sink): RecordSource {
  const noGuard = async () => {};
  return {
    async *pages() {
      for await (const page of sink.list(noGuard)) {
        yield page.map((r) => ({
          key: r.key,
          id: r.targetId,
          ...(r.fingerprint !== undefined ? { fingerprint: r.fingerprint } : {}),
          ...(r.size !== undefined ? { size: r.size } : {}),
          ...(r.updateTime !== undefined ? { updatedAt: r.updateTime } : {}),
        }));
      }
    },
    async deleteRecords(ids) {
      for (let i = 0; i < ids.length; i += 100) {
        const res = await sink.remove(ids.slice(i, i + 100), noGuard);
        if (res.failed.length > 0)
          throw new Error(
            `${sink.name}: ${res.failed.length} record(s) could not be deleted: ${res.failed[0]}`,
          );
      }
    },
  };
}
