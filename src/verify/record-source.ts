// The one thing verify needs from a target: every record it holds for the binding's bucket, in any order,
// a page at a time. sink-record-source.ts implements it over any sink's `list` and `remove` roles (PAI,
// IMM); a test or another target can implement this interface directly. Reading the target itself, never the Redis state, is the point.

/** A record of the target, reduced to what a comparison with the bucket needs. */
export interface TargetRecord {
  /** The object key the record points at (its Uri without `oss://bucket/`). */
  key: string;
  /** The target's own id of the record (PAI DatasetFileMetaId, IMM URI...). */
  id: string;
  fingerprint?: string;
  size?: number;
  /** Milliseconds since the epoch of the object version the record describes (FileUpdateTime). */
  updatedAt?: number;
}

export interface RecordSource {
  /** Pages of records whose Uri lies in `bucket` (the caller filters by prefix and globs). Any order. */
  pages(): AsyncIterable<TargetRecord[]>;
  /** Removes records by id (only `verify --fix` uses it, for duplicate records). */
  deleteRecords(ids: string[]): Promise<void>;
}
