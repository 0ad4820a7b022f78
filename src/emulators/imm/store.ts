// In-memory projects -> datasets -> files keyed by URI (a dataset never holds two files with one URI).
// FileCount and TotalFileSize count Indexed files only; a Failed file is visible to GetFileMeta and
// BatchGetFileMeta (with its Reason) but not to SimpleQuery or the statistics.
import { resourceNotFound } from './api-error.ts';
import type { ImmDatasetView, ImmFileRecord, ImmStore } from './types.ts';

export interface DatasetLimits {
  DatasetMaxBindCount: number;
  DatasetMaxFileCount: number;
  DatasetMaxEntityCount: number;
  DatasetMaxRelationCount: number;
  DatasetMaxTotalFileSize: number;
}

export const DEFAULT_DATASET_LIMITS: DatasetLimits = {
  DatasetMaxBindCount: 10,
  DatasetMaxFileCount: 100_000_000,
  DatasetMaxEntityCount: 10_000_000_000,
  DatasetMaxRelationCount: 100_000_000_000,
  DatasetMaxTotalFileSize: 90_000_000_000_000_000,
};

export class DatasetState {
  readonly files = new Map<string, ImmFileRecord>();
  fileCount = 0;
  totalFileSize = 0;
  private sorted: string[] | undefined;

  constructor(
    readonly ProjectName: string,
    readonly DatasetName: string,
    readonly Description: string,
    readonly TemplateId: string,
    readonly limits: DatasetLimits,
    readonly CreateTime: string,
    public UpdateTime: string,
  ) {}

  /** Inserts or replaces the file of `rec.URI`, keeping the statistics right. */
  put(rec: ImmFileRecord): void {
    const old = this.files.get(rec.URI);
    if (old) this.uncount(old);
    else this.sorted = undefined;
    this.files.set(rec.URI, rec);
    this.count(rec);
  }

  remove(uri: string): boolean {
    const old = this.files.get(uri);
    if (!old) return false;
    this.uncount(old);
    this.files.delete(uri);
    this.sorted = undefined;
    return true;
  }

  /** URIs in ascending (UTF-16) order; re-sorted lazily after an insertion or removal. */
  sortedUris(): string[] {
    this.sorted ??= [...this.files.keys()].sort();
    return this.sorted;
  }

  private count(rec: ImmFileRecord): void {
    if (rec.ObjectStatus !== 'Indexed') return;
    this.fileCount++;
    this.totalFileSize += rec.Size ?? 0;
  }

  private uncount(rec: ImmFileRecord): void {
    if (rec.ObjectStatus !== 'Indexed') return;
    this.fileCount--;
    this.totalFileSize -= rec.Size ?? 0;
  }

  view(): Record<string, unknown> {
    return {
      ProjectName: this.ProjectName,
      DatasetName: this.DatasetName,
      Description: this.Description,
      TemplateId: this.TemplateId,
      CreateTime: this.CreateTime,
      UpdateTime: this.UpdateTime,
      ...this.limits,
      BindCount: 0,
      FileCount: this.fileCount,
      TotalFileSize: this.totalFileSize,
    };
  }
}

export class ProjectState {
  readonly datasets = new Map<string, DatasetState>();
  constructor(
    readonly ProjectName: string,
    readonly Description: string,
    readonly TemplateId: string,
    readonly ServiceRole: string,
    readonly ProjectMaxDatasetCount: number,
    readonly datasetDefaults: DatasetLimits,
    readonly CreateTime: string,
  ) {}

  view(): Record<string, unknown> {
    let fileCount = 0;
    let totalFileSize = 0;
    for (const d of this.datasets.values()) {
      fileCount += d.fileCount;
      totalFileSize += d.totalFileSize;
    }
    return {
      ProjectName: this.ProjectName,
      Description: this.Description,
      TemplateId: this.TemplateId,
      ServiceRole: this.ServiceRole,
      CreateTime: this.CreateTime,
      UpdateTime: this.CreateTime,
      ProjectMaxDatasetCount: this.ProjectMaxDatasetCount,
      ProjectQueriesPerSecond: 100,
      EngineConcurrency: 100,
      ...this.datasetDefaults,
      DatasetCount: this.datasets.size,
      FileCount: fileCount,
      TotalFileSize: totalFileSize,
    };
  }
}

export class MemoryImmStore implements ImmStore {
  readonly projects = new Map<string, ProjectState>();

  createProject(name: string): void {
    if (this.projects.has(name)) return;
    this.projects.set(
      name,
      new ProjectState(
        name,
        '',
        '',
        'AliyunIMMDefaultRole',
        1_000_000_000,
        DEFAULT_DATASET_LIMITS,
        nowRfc3339(),
      ),
    );
  }

  hasProject(name: string): boolean {
    return this.projects.has(name);
  }

  project(name: string): ProjectState {
    const p = this.projects.get(name);
    if (!p) throw resourceNotFound('project', name);
    return p;
  }

  dataset(project: string, dataset: string): DatasetState {
    const d = this.project(project).datasets.get(dataset);
    if (!d) throw resourceNotFound('dataset', dataset);
    return d;
  }

  getDataset(project: string, dataset: string): ImmDatasetView | undefined {
    const d = this.projects.get(project)?.datasets.get(dataset);
    if (!d) return undefined;
    return {
      ProjectName: project,
      DatasetName: dataset,
      FileCount: d.fileCount,
      TotalFileSize: d.totalFileSize,
    };
  }

  listFiles(project: string, dataset: string): ImmFileRecord[] {
    const d = this.projects.get(project)?.datasets.get(dataset);
    if (!d) return [];
    return d.sortedUris().map((u) => d.files.get(u)!);
  }
}

/** IMM answers times in RFC3339Nano with the zone offset; the emulator uses UTC with nanoseconds. */
export function nowRfc3339(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
