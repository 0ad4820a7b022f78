// The public shapes of the PAI dataset API emulator. The lead and the CLI code against these names:
// keep them stable. Wire names (PascalCase) are used wherever a value crosses the HTTP boundary.
import type { RateWindow } from './rate-limiter.ts';

export interface PaiCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set the key is an STS key: every request must carry this value in x-acs-security-token. */
  securityToken?: string;
}

export interface PaiFaults {
  /** Added before every answer (default 0). */
  latencyMs: number;
  /** 0..1 share of calls answered 500 InternalError or 503 ServiceUnavailable (default 0). */
  errorRate: number;
  /** 0..1 share of ITEMS in Create/Update/Delete calls that fail with a RETRYABLE Result (default 0). */
  partialFailureRate: number;
  /**
   * 0..1 share of Create/Update/Delete calls whose write is APPLIED and whose answer is then lost: the
   * connection is reset after the records exist (default 0). What a client sees after a crash of the
   * gateway, a proxy timeout or a network cut right after the service committed.
   */
  lostAnswerRate: number;
}

export interface PaiEmulatorOptions {
  /** default '127.0.0.1' */
  host?: string;
  /** default 0 (any free port) */
  port?: number;
  /** default [{ accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }] */
  credentials?: PaiCredential[];
  /** When set: loaded at start, persisted (debounced + on close) so a restart keeps datasets and records. */
  dataFile?: string;
  /** default 100; more items in one Create/Update/Delete call -> 400 InvalidParameter */
  maxItemsPerCall?: number;
  /** default false: a Create whose Uri already has an ACTIVE record fails that item in FailedDetails */
  allowDuplicateUris?: boolean;
  /**
   * ListDatasetFileMetas items: 'sdk' (default) = the SDK DatasetFileMeta model's fields (+ Status);
   * 'doc' adds FileDir, Comment, SyncTime, TagUpdateTime as in the API doc's example.
   */
  listItemFields?: 'sdk' | 'doc';
  /** ACTIVE records per dataset version; defaults 1_000_000 / 3_000_000 */
  editionCaps?: { ADVANCED?: number; LOGICAL?: number };
  /** 0 = unlimited; else requests per second -> Throttling.User, counted as `rateWindow` says */
  rps?: number;
  /** default 'sliding' (any 1 s); 'fixed' counts per whole second of the clock (src/emulators/pai/rate-limiter.ts) */
  rateWindow?: RateWindow;
  faults?: Partial<PaiFaults>;
  /** default 15 * 60_000: allowed distance between x-acs-date and the emulator clock (inferred, see README) */
  maxClockSkewMs?: number;
  /** Injectable for deterministic fault tests (default Math.random). Used for faults only, never for ids. */
  random?: () => number;
}

export type PaiRecordStatus = 'ACTIVE' | 'DELETED';

/** What the store keeps for one file-metadata record (wire names). */
export interface PaiFileMetaRecord {
  DatasetFileMetaId: string;
  Uri: string;
  FileName?: string;
  FileDir: string;
  FileType?: string;
  ContentType?: string;
  FileFingerPrint?: string;
  DataSize?: number;
  FileCreateTime?: string;
  FileUpdateTime?: string;
  SyncTime: string;
  Comment?: string;
  MetaAttributes?: string;
  Tags?: string;
  TagUpdateTime?: string;
  SemanticIndexJobId?: string;
  SemanticIndexUpdateTime?: string;
  Status: PaiRecordStatus;
}

export type PaiEdition = 'BASIC' | 'ADVANCED' | 'LOGICAL';

export interface PaiCreateDatasetInput {
  Name: string;
  WorkspaceId?: string;
  Edition?: PaiEdition;
  Uri?: string;
  Property?: string;
  DataSourceType?: string;
}

export interface PaiDatasetSummary {
  DatasetId: string;
  Name: string;
  WorkspaceId: string;
  Edition: string;
  Uri: string;
}

export interface PaiStore {
  /** Validates like the CreateDataset API (throws PaiApiError) and returns the new DatasetId. */
  createDataset(input: PaiCreateDatasetInput): string;
  getDataset(datasetId: string): PaiDatasetSummary | undefined;
  /** Records of one dataset version in creation order; status default 'ACTIVE'. */
  listRecords(datasetId: string, version: string, status?: PaiRecordStatus | 'ALL'): PaiFileMetaRecord[];
}

export interface PaiStats {
  /** Calls keyed by action name (every authenticated call, throttled and faulted ones included). */
  calls: Record<string, number>;
  throttled: number;
  /** Items answered in FailedDetails by Create/Update/Delete. */
  failedItems: number;
  /** Items the service applied, answered or not: records created, updated and deleted. */
  accepted: { created: number; updated: number; deleted: number };
  /** Write calls whose answer was dropped by the lostAnswerRate fault (after they were applied). */
  lostAnswers: number;
}

export interface PaiEmulator {
  /** '127.0.0.1:PORT' (host:port, as @alicloud/openapi-core Config.endpoint wants; protocol 'http') */
  readonly endpoint: string;
  readonly port: number;
  readonly store: PaiStore;
  readonly stats: PaiStats;
  resetStats(): void;
  setFaults(f: Partial<PaiFaults>): void;
  setRps(rps: number): void;
  setRateWindow(window: RateWindow): void;
  close(): Promise<void>;
}
