// ListDatasetFileMetas parameters -> one query: page size, order, cursor, status and record filters.
// Parameters given inside QueryExpression (MaxResults, SortBy, Order, NextToken, Status) take precedence
// over the same query parameters; every filter (query parameters and the expression) must hold (AND).
import { PaiApiError, invalidParameter } from './api-error.ts';
import { DslSyntaxError, compileQueryExpression, type CompiledQuery, type ExactKeys } from './dsl/index.ts';
import { decodeNextToken } from './list-cursor.ts';
import { isoToMs } from './iso-time.ts';
import { allTags } from './tags.ts';
import type { PaiRecordStatus } from './types.ts';
import { sortValue, tagsOf, type ScanPosition, type SortKey, type StoredRecord } from './version-records.ts';

export type RecordFilter = (stored: StoredRecord) => boolean;

export interface ListQuery {
  maxResults: number;
  sortBy: SortKey | undefined;
  desc: boolean;
  after: ScanPosition | undefined;
  status: PaiRecordStatus | 'ALL';
  /** Empty when only the status selects records (then TotalCount comes from counters). */
  filters: RecordFilter[];
  /** Exact FileName (and FileDir) values every match has (from QueryExpression): candidates from the index. */
  keys?: ExactKeys;
}

const SORT_KEYS: SortKey[] = ['FileCreateTime', 'FileUpdateTime'];

function nonEmpty(query: Record<string, string>, name: string): string | undefined {
  const v = query[name];
  return v === undefined || v === '' ? undefined : v;
}

function list(query: Record<string, string>, name: string): Set<string> | undefined {
  const v = nonEmpty(query, name);
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length > 0 ? new Set(items) : undefined;
}

function intIn(name: string, raw: string | number, min: number, max: number): number {
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalidParameter(name, `must be an integer from ${min} to ${max}`);
  return n;
}

function compile(expression: string): CompiledQuery {
  try {
    return compileQueryExpression(expression);
  } catch (err) {
    if (err instanceof DslSyntaxError)
      throw new PaiApiError(400, 'InvalidParameter', `QueryExpression: ${err.message}`);
    throw err;
  }
}

function timeRange(
  query: Record<string, string>,
  field: 'FileUpdateTime' | 'TagUpdateTime',
  filters: RecordFilter[],
): void {
  const bound = (name: string): number | undefined => {
    const v = nonEmpty(query, name);
    if (v === undefined) return undefined;
    const ms = isoToMs(v);
    if (ms === undefined)
      throw invalidParameter(name, 'must be an ISO 8601 UTC time such as 2025-01-12T14:36:01.000Z');
    return ms;
  };
  const start = bound(`Start${field}`);
  const end = bound(`End${field}`);
  if (start === undefined && end === undefined) return;
  filters.push((s) => {
    const text = s.rec[field];
    const ms = text === undefined ? undefined : isoToMs(text);
    return ms !== undefined && (start === undefined || ms >= start) && (end === undefined || ms <= end);
  });
}

// QueryFileName / QueryFileDir are "fuzzy": a case-insensitive substring match in the emulator.
function substring(
  query: Record<string, string>,
  name: string,
  field: 'FileName' | 'FileDir',
  filters: RecordFilter[],
): void {
  const needle = nonEmpty(query, name)?.toLowerCase();
  if (needle !== undefined) filters.push((s) => (s.rec[field] ?? '').toLowerCase().includes(needle));
}

function oneOfField(
  query: Record<string, string>,
  name: string,
  field: 'FileType' | 'ContentType',
  filters: RecordFilter[],
): void {
  const wanted = list(query, name);
  if (wanted) filters.push((s) => wanted.has(s.rec[field] ?? ''));
}

function tagFilters(query: Record<string, string>, filters: RecordFilter[]): void {
  const any = list(query, 'QueryTagsIncludeAny');
  const all = list(query, 'QueryTagsIncludeAll');
  const exclude = list(query, 'QueryTagsExclude');
  if (any) filters.push((s) => allTags(tagsOf(s)).some((t) => any.has(t)));
  if (all) filters.push((s) => [...all].every((t) => allTags(tagsOf(s)).includes(t)));
  if (exclude) filters.push((s) => !allTags(tagsOf(s)).some((t) => exclude.has(t)));
}

const QUERY_TYPES = ['MIX', 'TAG', 'VECTOR'];

/**
 * QueryType=TAG with QueryText: records with an effective tag (tags.all) containing the text, case
 * insensitive (the matching rule is undocumented). VECTOR and MIX (the default) do no vector search in
 * the emulator: their QueryText/QueryImage/QueryVideo are accepted and ignored, and no Score is answered.
 */
function tagTextQuery(
  query: Record<string, string>,
  pick: (name: string) => string | number | undefined,
  filters: RecordFilter[],
): void {
  const raw = pick('QueryType');
  const type = raw === undefined ? 'MIX' : String(raw).toUpperCase();
  if (!QUERY_TYPES.includes(type))
    throw invalidParameter('QueryType', `must be one of ${QUERY_TYPES.join(', ')}`);
  const text = nonEmpty(query, 'QueryText')?.toLowerCase();
  if (type === 'TAG' && text !== undefined) {
    filters.push((s) => allTags(tagsOf(s)).some((t) => t.toLowerCase().includes(text)));
  }
}

export function parseListQuery(query: Record<string, string>): ListQuery {
  const filters: RecordFilter[] = [];
  const expression = nonEmpty(query, 'QueryExpression');
  const compiled = expression === undefined ? undefined : compile(expression);
  const params = compiled?.params ?? {};
  if (compiled) filters.push((s) => compiled.matches({ ...s.rec, Tags: tagsOf(s) }));

  const pick = (name: string): string | number | undefined => params[name] ?? nonEmpty(query, name);

  const maxRaw = pick('MaxResults');
  const pageSize = nonEmpty(query, 'PageSize');
  // PageSize is deprecated; MaxResults wins when both are given.
  const maxResults =
    maxRaw !== undefined
      ? intIn('MaxResults', maxRaw, 1, 100)
      : pageSize !== undefined
        ? intIn('PageSize', pageSize, 1, 1000)
        : 10;

  const sortRaw = pick('SortBy');
  if (sortRaw !== undefined && !SORT_KEYS.includes(sortRaw as SortKey)) {
    throw invalidParameter('SortBy', `must be one of ${SORT_KEYS.join(', ')}`);
  }
  const sortBy = sortRaw as SortKey | undefined;
  const orderRaw = pick('Order');
  const order = orderRaw === undefined ? undefined : String(orderRaw).toUpperCase();
  if (order !== undefined && order !== 'ASC' && order !== 'DESC')
    throw invalidParameter('Order', 'must be ASC or DESC');
  // With SortBy the documented default is DESC; without it, creation order (oldest first).
  const desc = order === undefined ? sortBy !== undefined : order === 'DESC';

  const token = pick('NextToken');
  const after = token === undefined ? undefined : decodeNextToken(String(token), sortBy, desc);

  const statusRaw = compiled?.status ?? nonEmpty(query, 'Status') ?? 'ACTIVE';
  if (statusRaw !== 'ACTIVE' && statusRaw !== 'DELETED' && statusRaw !== 'ALL') {
    throw invalidParameter('Status', 'must be ACTIVE, DELETED or ALL');
  }

  const ids = list(query, 'DatasetFileMetaIds');
  if (ids) filters.push((s) => ids.has(s.rec.DatasetFileMetaId));
  substring(query, 'QueryFileName', 'FileName', filters);
  substring(query, 'QueryFileDir', 'FileDir', filters);
  oneOfField(query, 'QueryFileTypeIncludeAny', 'FileType', filters);
  oneOfField(query, 'QueryContentTypeIncludeAny', 'ContentType', filters);
  timeRange(query, 'FileUpdateTime', filters);
  timeRange(query, 'TagUpdateTime', filters);
  tagFilters(query, filters);
  tagTextQuery(query, pick, filters);

  const q: ListQuery = { maxResults, sortBy, desc, after, status: statusRaw, filters };
  if (compiled?.keys) q.keys = compiled.keys;
  return q;
}

export function matchesQuery(q: ListQuery, s: StoredRecord): boolean {
  if (q.status !== 'ALL' && s.rec.Status !== q.status) return false;
  for (const f of q.filters) if (!f(s)) return false;
  return true;
}

export function positionOf(q: ListQuery, s: StoredRecord): ScanPosition {
  return { value: q.sortBy === undefined ? null : sortValue(s, q.sortBy), seq: s.seq };
}
