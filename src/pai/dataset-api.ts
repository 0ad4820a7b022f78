// The small interface the pipeline uses to write PAI file metadata. Only openapi-dataset-api.ts imports the SDK.

/** DatasetFileMetaContentCreate (wire names). */
export interface FileMetaCreate {
  Uri: string;
  FileName: string;
  FileFingerPrint: string;
  FileType: string;
  ContentType: string;
  DataSize: number;
  FileUpdateTime: string;
  FileCreateTime: string;
}

/** DatasetFileMetaConentUpdate (sic) without Uri, which cannot change. */
export type FileMetaUpdate = Omit<FileMetaCreate, 'Uri'> & { DatasetFileMetaId: string };

/** DatasetFileMetaResponse. */
export interface FileMetaResult {
  DatasetFileMetaId?: string;
  Uri?: string;
  Result?: string;
}

export interface WriteResponse {
  status: boolean;
  failed: FileMetaResult[];
  succeeded: FileMetaResult[];
  requestId?: string;
}

export interface FileMetaRecord {
  DatasetFileMetaId: string;
  Uri: string;
  FileFingerPrint?: string;
  DataSize?: number;
  FileUpdateTime?: string;
  Status?: string;
  /** Every field of the answer as PAI gave it (for `query`, which shows records as they are). */
  raw?: Record<string, unknown>;
}

export interface ListFileMetasPage {
  records: FileMetaRecord[];
  nextToken?: string;
  totalCount?: number;
}

export interface DatasetTarget {
  workspaceId: string;
  datasetId: string;
  datasetVersion: string;
}

export interface CreateDatasetInput {
  workspaceId: string;
  name: string;
  edition: 'ADVANCED' | 'LOGICAL';
  uri: string;
}

export interface DatasetInfo {
  datasetId: string;
  name: string;
  edition?: string;
  workspaceId?: string;
}

export interface DatasetApi {
  createFileMetas(t: DatasetTarget, items: FileMetaCreate[]): Promise<WriteResponse>;
  updateFileMetas(t: DatasetTarget, items: FileMetaUpdate[]): Promise<WriteResponse>;
  deleteFileMetas(t: DatasetTarget, ids: string[]): Promise<WriteResponse>;
  listFileMetas(
    t: DatasetTarget,
    page: {
      maxResults: number;
      nextToken?: string;
      queryFileName?: string;
      queryFileDir?: string;
      /** The QueryExpression DSL (not combined with the other filters, as PAI asks). */
      queryExpression?: string;
    },
  ): Promise<ListFileMetasPage>;
  createDataset(input: CreateDatasetInput): Promise<string>;
  getDataset(datasetId: string): Promise<DatasetInfo | undefined>;
  /** ListDatasets: the datasets of a workspace whose name is exactly `name`, oldest first. */
  findDatasets(workspaceId: string, name: string): Promise<DatasetInfo[]>;
}
