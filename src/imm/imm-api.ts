// The small interface the IMM sink uses. Only openapi-imm-api.ts imports the SDK.

export interface ImmTarget {
  project: string;
  dataset: string;
}

/** InputFile (wire names): what BatchIndexFileMeta takes per file. */
export interface ImmInputFile {
  URI: string;
  CustomId?: string;
  CustomLabels?: Record<string, string>;
  ContentType?: string;
  MediaType?: string;
  FileHash?: string;
}

/** The File fields the sink reads back (wire names). */
export interface ImmFile {
  URI: string;
  ObjectStatus?: string;
  Reason?: string;
  CustomLabels?: Record<string, unknown>;
  Size?: number;
  ETag?: string;
  FileModifiedTime?: string;
  UpdateTime?: string;
}

export interface ImmDatasetInfo {
  project: string;
  dataset: string;
  fileCount?: number;
  totalFileSize?: number;
}

/** SimpleQuery's Query (wire names). */
export interface ImmQuery {
  Field?: string;
  Operation: string;
  Value?: string;
  SubQueries?: ImmQuery[];
}

export interface ImmQueryPage {
  files: ImmFile[];
  nextToken?: string;
}

export interface ImmApi {
  /** false when the project does not exist. */
  projectExists(project: string): Promise<boolean>;
  getDataset(t: ImmTarget, withStatistics?: boolean): Promise<ImmDatasetInfo | undefined>;
  /** Creates the dataset; one that already exists is not an error (several workers may race). */
  createDataset(t: ImmTarget, opts?: { templateId?: string; description?: string }): Promise<void>;
  /** Asynchronous: the files are indexed later; the answer is IMM's EventId. <= 100 files. */
  batchIndex(t: ImmTarget, files: ImmInputFile[]): Promise<{ eventId?: string }>;
  /** Files the dataset holds (Indexed or Failed with a Reason); unknown URIs are absent. <= 100 URIs. */
  batchGet(t: ImmTarget, uris: string[]): Promise<ImmFile[]>;
  /** <= 100 URIs; unknown ones are not an error. */
  batchDelete(t: ImmTarget, uris: string[]): Promise<void>;
  simpleQuery(
    t: ImmTarget,
    page: { query?: ImmQuery; maxResults: number; nextToken?: string },
  ): Promise<ImmQueryPage>;
}

/** IMM's documented limit for Files / URIs of one batch call. */
export const IMM_MAX_BATCH = 100;
