// The public shapes of the IMM (2020-09-30) emulator. Wire names (PascalCase) wherever a value crosses HTTP.

export interface ImmCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set the key is an STS key: every request must carry this value in x-acs-security-token. */
  securityToken?: string;
}

export interface ImmFaults {
  /** Added before every answer (default 0). */
  latencyMs: number;
  /** 0..1 share of calls answered 500 InternalError or 503 ServiceUnavailable (default 0). */
  errorRate: number;
  /** How long indexing takes after IndexFileMeta / BatchIndexFileMeta answered (default 0: next tick). */
  indexDelayMs: number;
  /** 0..1 share of FILES whose indexing fails (ObjectStatus Failed + Reason), default 0. */
  indexFailureRate: number;
}

/** How a throttled call is answered (README: which one the real IMM sends is not documented). */
export type ImmThrottleStyle = 'imm' | 'pop';

/** What the emulator learns about an OSS object when it indexes it (the real IMM reads OSS itself). */
export interface ImmObjectInfo {
  size: number;
  /** As OSS sends it, with quotes. */
  etag: string;
  lastModified: Date;
  contentType: string;
  crc64?: string;
}

export interface ImmObjectSource {
  headObject(bucket: string, key: string): ImmObjectInfo | undefined;
}

export interface ImmEmulatorOptions {
  /** default '127.0.0.1' */
  host?: string;
  /** default 0 (any free port) */
  port?: number;
  /** default [{ accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }] */
  credentials?: ImmCredential[];
  /** Projects created at start (the product never creates projects). */
  projects?: string[];
  /** 0 = unlimited; else calls per second PER PROJECT over a sliding 1-second window -> Throttling */
  qps?: number;
  /** default 'imm': HTTP 429 Code "Throttling"; 'pop': HTTP 400 Code "Throttling.User" */
  throttleStyle?: ImmThrottleStyle;
  faults?: Partial<ImmFaults>;
  /**
   * When set, indexing reads Size/ETag/FileModifiedTime/ContentType from it and fails files whose object
   * does not exist, as the real IMM does. When unset, files are indexed from the request alone.
   */
  objectSource?: ImmObjectSource;
  /** default 15 * 60_000: allowed distance between x-acs-date and the emulator clock */
  maxClockSkewMs?: number;
  /** Clock of the rate limiter (default Date.now); injectable so throttling tests do not depend on speed. */
  now?: () => number;
  /** Injectable for deterministic fault tests (default Math.random). */
  random?: () => number;
  /**
   * Whether a file that failed to index keeps the request's user fields (CustomLabels, CustomId...) next
   * to its Reason. Default true; false = the failed file carries only URI, ObjectStatus and Reason (the real
   * IMM's choice is undocumented).
   */
  failedFilesKeepFields?: boolean;
  /** DeleteFileMeta of a URI the dataset does not hold: false (default) = success, true = 404 ResourceNotFound. */
  strictDelete?: boolean;
  /** Region in HostId and Recommend (default 'cn-hangzhou'). */
  region?: string;
}

/** One file of a dataset as the store keeps it: the wire File (subset the emulator fills). */
export interface ImmFileRecord {
  URI: string;
  ObjectStatus: 'Indexed' | 'Failed';
  /** Set when ObjectStatus is Failed: why indexing failed. */
  Reason?: string;
  Filename: string;
  ObjectType: 'file';
  ObjectId: string;
  ProjectName: string;
  DatasetName: string;
  OwnerId: string;
  Size?: number;
  ETag?: string;
  OSSCRC64?: string;
  ContentType?: string;
  MediaType?: string;
  FileHash?: string;
  FileModifiedTime?: string;
  CustomId?: string;
  CustomLabels?: Record<string, unknown>;
  Title?: string;
  ProduceTime?: string;
  LatLong?: string;
  CreateTime: string;
  UpdateTime: string;
}

export interface ImmStats {
  /** Calls keyed by action name (every authenticated call, throttled and faulted ones included). */
  calls: Record<string, number>;
  throttled: number;
  /** Files whose indexing completed / failed. */
  indexed: number;
  indexFailed: number;
  /** Files accepted by IndexFileMeta/BatchIndexFileMeta and not indexed yet. */
  pendingIndex: number;
}

export interface ImmDatasetView {
  ProjectName: string;
  DatasetName: string;
  FileCount: number;
  TotalFileSize: number;
}

export interface ImmStore {
  createProject(name: string): void;
  hasProject(name: string): boolean;
  getDataset(project: string, dataset: string): ImmDatasetView | undefined;
  /** Every file of a dataset (Indexed and Failed) in URI order. */
  listFiles(project: string, dataset: string): ImmFileRecord[];
}

export interface ImmEmulator {
  /** '127.0.0.1:PORT' (host:port, as @alicloud/openapi-core Config.endpoint wants; protocol 'http') */
  readonly endpoint: string;
  readonly port: number;
  readonly store: ImmStore;
  readonly stats: ImmStats;
  resetStats(): void;
  setFaults(f: Partial<ImmFaults>): void;
  setQps(qps: number): void;
  /** Resolves when no accepted file waits to be indexed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
