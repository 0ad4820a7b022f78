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
import { VersionRecords } from './version-records.ts';

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

  /** Used by addDataset and by persistence (which keeps ids and times). */
  restoreDataset(meta: DatasetMeta, versionNames: string[]): DatasetState {
    const versions = new Map<string, VersionRecords>();
    for (const v of versionNames) versions.set(v, new VersionRecords());
    const state: DatasetState = { ...meta, versions };
    this.datasets.set(state.DatasetId, state);
    this.onChange();
    return state;
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
    for (const s of records.all) if (status === 'ALL' || s.rec.Status === status) out.push({ ...s.rec });
    return out;
  }
}
