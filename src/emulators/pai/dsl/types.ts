// Public shapes of the DSL module (re-exported by index.ts).
import type { ExactKeys } from './exact-keys.ts';

/**
 * A file-metadata record as the emulator stores it: DatasetFileMetaId, FileName, FileDir
 * ('cars/20250221/'), FileType, ContentType, DataSize (number), the ISO 8601 times, Status,
 * Tags ({ ai?: string[], user?: string[] }, already parsed), Uri, ...
 */
export interface DslRecord {
  [field: string]: unknown;
}

export interface CompiledQuery {
  matches(record: DslRecord): boolean;
  /** General query properties given in the expression (QueryType, SignMode, ThumbnailMode, SortBy, Order, NextToken, MaxResults, TopK, ScoreThreshold). */
  params: Record<string, string | number>;
  /** Status='ACTIVE'|'DELETED' when the expression selects one. */
  status?: 'ACTIVE' | 'DELETED';
  /** The exact FileName (and FileDir) values every match has, when the expression requires some. */
  keys?: ExactKeys;
}
