// The asynchronous half of IndexFileMeta / BatchIndexFileMeta: the call answers an EventId at once and the
// files are indexed `indexDelayMs` later, each one either Indexed or Failed with a Reason. Per file, in
// this order: injected failure (indexFailureRate) -> OSS object missing (with an objectSource) -> dataset
// caps (DatasetMaxFileCount, DatasetMaxTotalFileSize) -> Indexed.
import { createHash } from 'node:crypto';
import { mediaTypeOf, type InputFile } from './input-file.ts';
import { parseOssUri } from './names.ts';
import { nowRfc3339, type DatasetState } from './store.ts';
import type { ImmFaults, ImmFileRecord, ImmObjectSource, ImmStats } from './types.ts';

export const OWNER_ID = '1000000000000000';

export interface IndexerDeps {
  faults(): ImmFaults;
  random: () => number;
  stats: ImmStats;
  objectSource?: ImmObjectSource;
  newRequestId(): string;
  failedFilesKeepFields: boolean;
}

export function objectIdOf(project: string, dataset: string, uri: string): string {
  return createHash('sha256').update(`${project}\0${dataset}\0${uri}`).digest('hex');
}

export class Indexer {
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: IndexerDeps) {}

  /** Accepts files for indexing into `dataset`; they are indexed after the configured delay. */
  submit(dataset: DatasetState, files: InputFile[]): void {
    this.pending += files.length;
    this.deps.stats.pendingIndex += files.length;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const f of files) this.indexOne(dataset, f);
      this.pending -= files.length;
      this.deps.stats.pendingIndex -= files.length;
      if (this.pending === 0) for (const w of this.waiters.splice(0)) w();
    }, this.deps.faults().indexDelayMs);
    this.timers.add(timer);
  }

  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = 0;
    for (const w of this.waiters.splice(0)) w();
  }

  private indexOne(d: DatasetState, input: InputFile): void {
    const now = nowRfc3339();
    const old = d.files.get(input.URI);
    const { key } = parseOssUri(input.URI) ?? { key: input.URI };
    const rec: ImmFileRecord = {
      URI: input.URI,
      ObjectStatus: 'Indexed',
      Filename: key.slice(key.lastIndexOf('/') + 1),
      ObjectType: 'file',
      ObjectId: objectIdOf(d.ProjectName, d.DatasetName, input.URI),
      ProjectName: d.ProjectName,
      DatasetName: d.DatasetName,
      OwnerId: OWNER_ID,
      CreateTime: old?.CreateTime ?? now,
      UpdateTime: now,
    };
    for (const k of ['CustomId', 'CustomLabels', 'FileHash', 'Title', 'ProduceTime', 'LatLong'] as const) {
      if (input[k] !== undefined) (rec as unknown as Record<string, unknown>)[k] = input[k];
    }
    const fail = (reason: string): void => {
      rec.ObjectStatus = 'Failed';
      rec.Reason = reason;
      if (!this.deps.failedFilesKeepFields) {
        for (const k of [
          'CustomId',
          'CustomLabels',
          'FileHash',
          'Title',
          'ProduceTime',
          'LatLong',
        ] as const) {
          delete (rec as unknown as Record<string, unknown>)[k];
        }
      }
      d.put(rec);
      this.deps.stats.indexFailed++;
    };
    const { indexFailureRate } = this.deps.faults();
    if (indexFailureRate > 0 && this.deps.random() < indexFailureRate) {
      return fail(
        `[InternalError] The request has been failed due to some unknown error. status: 500, requestId: ${this.deps.newRequestId()}`,
      );
    }
    if (this.deps.objectSource) {
      const loc = parseOssUri(input.URI);
      const info = loc ? this.deps.objectSource.headObject(loc.bucket, loc.key) : undefined;
      if (!info) {
        return fail(`[ResourceNotFound] The specified object ${input.URI} does not exist. status: 404`);
      }
      rec.Size = info.size;
      rec.ETag = info.etag;
      rec.FileModifiedTime = nowRfc3339(info.lastModified.getTime());
      rec.ContentType = input.ContentType ?? info.contentType;
      if (info.crc64 !== undefined) rec.OSSCRC64 = info.crc64;
    } else if (input.ContentType !== undefined) {
      rec.ContentType = input.ContentType;
    }
    rec.MediaType = input.MediaType ?? mediaTypeOf(rec.ContentType);
    const replacing = old?.ObjectStatus === 'Indexed';
    const files = d.fileCount - (replacing ? 1 : 0);
    const bytes = d.totalFileSize - (replacing ? (old.Size ?? 0) : 0);
    if (files + 1 > d.limits.DatasetMaxFileCount) {
      return fail(
        `[LimitExceededError] The dataset ${d.DatasetName} already holds DatasetMaxFileCount (${d.limits.DatasetMaxFileCount}) files. status: 400`,
      );
    }
    if (bytes + (rec.Size ?? 0) > d.limits.DatasetMaxTotalFileSize) {
      return fail(
        `[LimitExceededError] Indexing ${input.URI} would exceed DatasetMaxTotalFileSize (${d.limits.DatasetMaxTotalFileSize} bytes) of dataset ${d.DatasetName}. status: 400`,
      );
    }
    d.put(rec);
    this.deps.stats.indexed++;
  }
}
