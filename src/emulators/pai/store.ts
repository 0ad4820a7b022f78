// In-memory datasets and their versions' records. The HTTP operations and the programmatic PaiStore
// share it; every write calls `onChange` so persistence can schedule a save.
import { checkCreateDataset, type DatasetFields } from './dataset-fields.ts';
import { newDatasetId } from './ids.ts';
import { nowIso } from './iso-time.ts';
import type {
  PaiCreateDatasetInput,
  PaiDatasetSummary,
  PaiFileMetaRecord,
  PaiRecordStatus,
  PaiStore,
} from './types.ts';
import { type VersionMeta, nextVersionName } from './dataset-versions.ts';
import { VersionRecords } from './version-records.ts';

/** The initial version as CreateDataset describes it (VersionDescription, VersionLabels, ...). */
export function initialVersionMeta(
  d: DatasetFields & { GmtCreateTime: string; GmtModifiedTime: string },
  name: string,
): VersionMeta {
  const meta: VersionMeta = {
    VersionName: name,
    DataSourceType: d.DataSourceType,
    Property: d.Property,
    Uri: d.Uri,
    SourceType: d.SourceType,
    GmtCreateTime: d.GmtCreateTime,
    GmtModifiedTime: d.GmtModifiedTime,
  };
  if (d.VersionDescription !== undefined) meta.Description = d.VersionDescription;
  if (d.VersionLabels !== undefined) meta.Labels = d.VersionLabels;
  if (d.SourceId !== undefined) meta.SourceId = d.SourceId;
  if (d.Options !== undefined) meta.Options = d.Options;
  if (d.ImportInfo !== undefined) meta.ImportInfo = d.ImportInfo;
  if (d.DataSize !== undefined) meta.DataSize = d.DataSize;
  if (d.DataCount !== undefined) meta.DataCount = d.DataCount;
  return meta;
}

/** CreateDataset creates this version (the "initial version" of the API). */
export const INITIAL_VERSION = 'v1';

export interface DatasetState extends DatasetFields {
  DatasetId: string;
  GmtCreateTime: string;
  GmtModifiedTime: string;
  versions: Map<string, VersionRecords>;
}

/** The dataset fields as saved and answered (everything but the record collections). */
export type DatasetMeta = Omit<DatasetState, 'versions'>;

export class MemoryPaiStore implements PaiStore {
  readonly datasets = new Map<string, DatasetState>();
  onChange: () => void = () => {};

  /** The API's defaults for what the programmatic helper may omit: an OSS directory dataset. */
  createDataset(input: PaiCreateDatasetInput): string {
    const fields = checkCreateDataset({
      Property: 'DIRECTORY',
      DataSourceType: 'OSS',
      Uri: 'oss://emulator-bucket/',
      ...input,
    });
    return this.addDataset(fields).DatasetId;
  }

  addDataset(fields: DatasetFields): DatasetState {
    const now = nowIso();
    return this.restoreDataset(
      { ...fields, DatasetId: newDatasetId(), GmtCreateTime: now, GmtModifiedTime: now },
      [INITIAL_VERSION],
    );
  }

  /**
   * Used by addDataset and by persistence (which keeps ids and times). A version given by name only
   * (CreateDataset, files written before versions had metadata) is described by the dataset's fields.
   */
  restoreDataset(meta: DatasetMeta, versions: Array<string | VersionMeta>): DatasetState {
    const map = new Map<string, VersionRecords>();
    for (const v of versions) {
      const records = new VersionRecords();
      records.meta = typeof v === 'string' ? initialVersionMeta(meta, v) : v;
      map.set(records.meta.VersionName, records);
    }
    const state: DatasetState = { ...meta, versions: map };
    this.datasets.set(state.DatasetId, state);
    this.onChange();
    return state;
  }

  /** CreateDatasetVersion: adds the next version (v2, v3, ...) with its own (empty) records. */
  addVersion(dataset: DatasetState, build: (name: string, now: string) => VersionMeta): VersionMeta {
    const now = nowIso();
    const records = new VersionRecords();
    records.meta = build(nextVersionName(dataset.versions.keys()), now);
    dataset.versions.set(records.meta.VersionName, records);
    dataset.GmtModifiedTime = now;
    this.onChange();
    return records.meta;
  }

  getDataset(datasetId: string): PaiDatasetSummary | undefined {
    const d = this.datasets.get(datasetId);
    if (!d) return undefined;
    return {
      DatasetId: d.DatasetId,
      Name: d.Name,
      WorkspaceId: d.WorkspaceId,
      Edition: d.Edition,
      Uri: d.Uri,
    };
  }

  listRecords(
    datasetId: string,
    version: string,
    status: PaiRecordStatus | 'ALL' = 'ACTIVE',
  ): PaiFileMetaRecord[] {
    const records = this.datasets.get(datasetId)?.versions.get(version);
    if (!records) return [];
    const out: PaiFileMetaRecord[] = [];
    for (const s of records.records()) if (status === 'ALL' || s.rec.Status === status) out.push(s.rec);
    return out;
  }
}
