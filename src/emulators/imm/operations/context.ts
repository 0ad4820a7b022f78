// What every operation receives. Operations are plain functions from the decoded query to the 200 body
// (or a thrown ImmApiError); the server owns HTTP, signatures, throttling and faults.
import { limitExceeded } from '../api-error.ts';
import type { Indexer } from '../indexer.ts';
import type { Query } from '../params.ts';
import type { MemoryImmStore } from '../store.ts';
import type { ImmFileRecord } from '../types.ts';

export interface OperationContext {
  store: MemoryImmStore;
  indexer: Indexer;
  requestId: string;
  newRequestId(): string;
  /** DeleteFileMeta of a URI the dataset does not hold: false = success (default), true = 404. */
  strictDelete: boolean;
}

export type Operation = (q: Query, ctx: OperationContext) => Record<string, unknown>;

/** Documented for BatchIndexFileMeta (Files), BatchGetFileMeta and BatchDeleteFileMeta (URIs). */
export const MAX_BATCH = 100;

export function checkBatch(name: string, items: unknown[]): void {
  if (items.length === 0) throw limitExceeded(name, MAX_BATCH, 0);
  if (items.length > MAX_BATCH) throw limitExceeded(name, MAX_BATCH, items.length);
}

/** The File object as answered; WithFields keeps only the named fields. */
export function fileView(f: ImmFileRecord, withFields?: string[]): Record<string, unknown> {
  const all = f as unknown as Record<string, unknown>;
  if (!withFields || withFields.length === 0) return { ...all };
  const out: Record<string, unknown> = {};
  for (const k of withFields) if (all[k] !== undefined) out[k] = all[k];
  return out;
}
