// What every operation receives, and the lookups they share. Operations are plain functions from a parsed
// request to the 200 body (or a thrown PaiApiError): the server owns HTTP, signatures, throttling and faults.
import { PaiApiError, invalidParameter, missingParameter } from '../api-error.ts';
import { INITIAL_VERSION, type DatasetState, type MemoryPaiStore } from '../store.ts';
import type { ListItemFields } from '../list-item.ts';
import type { PaiFaults, PaiStats } from '../types.ts';
import type { VersionRecords } from '../version-records.ts';

export interface OperationSettings {
  maxItemsPerCall: number;
  allowDuplicateUris: boolean;
  editionCaps: { ADVANCED: number; LOGICAL: number };
  listItemFields: ListItemFields;
}

export interface OperationContext {
  store: MemoryPaiStore;
  settings: OperationSettings;
  faults: PaiFaults;
  random: () => number;
  stats: PaiStats;
  requestId: string;
}

export interface OperationRequest {
  /** Decoded path parameters (DatasetId, DatasetFileMetaId). */
  path: Record<string, string>;
  /** Decoded query. */
  query: Record<string, string>;
  /** Parsed JSON body ({} when there is none). */
  body: Record<string, unknown>;
}

export type Operation = (req: OperationRequest, ctx: OperationContext) => Record<string, unknown>;

export function stringParam(source: Record<string, unknown>, name: string): string | undefined {
  const v = source[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidParameter(name, 'must be a string');
  return v;
}

export function requiredParam(source: Record<string, unknown>, name: string): string {
  const v = stringParam(source, name);
  if (v === undefined) throw missingParameter(name);
  return v;
}

export function findDataset(
  ctx: OperationContext,
  datasetId: string | undefined,
  workspaceId?: string,
): DatasetState {
  const dataset = datasetId === undefined ? undefined : ctx.store.datasets.get(datasetId);
  // A dataset of another workspace is answered like a missing one: ids are scoped by workspace.
  if (!dataset || (workspaceId !== undefined && dataset.WorkspaceId !== workspaceId)) {
    const where = workspaceId === undefined ? '' : ` in workspace ${workspaceId}`;
    throw new PaiApiError(404, 'DatasetNotFound', `The dataset ${datasetId ?? ''} does not exist${where}.`);
  }
  return dataset;
}

export interface FileMetaTarget {
  dataset: DatasetState;
  version: string;
  records: VersionRecords;
}

/** Dataset + version of a file-meta operation; BASIC datasets have no file-metadata management. */
export function fileMetaTarget(
  ctx: OperationContext,
  datasetId: string | undefined,
  workspaceId: string | undefined,
  version: string | undefined,
): FileMetaTarget {
  const dataset = findDataset(ctx, datasetId, workspaceId);
  if (dataset.Edition === 'BASIC') {
    throw new PaiApiError(
      400,
      'DatasetEditionNotSupported',
      `The dataset ${dataset.DatasetId} is of edition BASIC, which has no file metadata management; create it with Edition ADVANCED or LOGICAL.`,
    );
  }
  const name = version ?? INITIAL_VERSION;
  const records = dataset.versions.get(name);
  if (!records) {
    throw new PaiApiError(
      404,
      'DatasetVersionNotFound',
      `The version ${name} of dataset ${dataset.DatasetId} does not exist.`,
    );
  }
  return { dataset, version: name, records };
}

/** The items array of a Create/Update call, with the per-call size limit. */
export function itemsOf(body: Record<string, unknown>, ctx: OperationContext): unknown[] {
  const items = body.DatasetFileMetas;
  if (items === undefined || items === null) throw missingParameter('DatasetFileMetas');
  if (!Array.isArray(items)) throw invalidParameter('DatasetFileMetas', 'must be an array');
  checkItemCount(items.length, 'DatasetFileMetas', ctx);
  return items;
}

export function checkItemCount(count: number, name: string, ctx: OperationContext): void {
  if (count === 0) throw invalidParameter(name, 'must contain at least one item');
  if (count > ctx.settings.maxItemsPerCall) {
    throw invalidParameter(name, `at most ${ctx.settings.maxItemsPerCall} items per call, got ${count}`);
  }
}

/** The partialFailureRate fault: draws only when the fault is on, so tests can script `random`. */
export function itemFaulted(ctx: OperationContext): boolean {
  return ctx.faults.partialFailureRate > 0 && ctx.random() < ctx.faults.partialFailureRate;
}

export interface ItemResult {
  DatasetFileMetaId?: string;
  Uri?: string;
  Result: string;
}

export function failedItem(id: unknown, uri: unknown, result: string): ItemResult {
  const item: ItemResult = { Result: result };
  if (typeof id === 'string' && id !== '') item.DatasetFileMetaId = id;
  if (typeof uri === 'string' && uri !== '') item.Uri = uri;
  return item;
}

export function writeAnswer(
  ctx: OperationContext,
  failed: ItemResult[],
  succeeded?: ItemResult[],
): Record<string, unknown> {
  ctx.stats.failedItems += failed.length;
  const body: Record<string, unknown> = {
    RequestId: ctx.requestId,
    Status: failed.length === 0,
    FailedDetails: failed,
  };
  if (succeeded) body.SucceedDetails = succeeded;
  return body;
}
