// SimpleQuery's Query: {Field, Operation, Value, SubQueries}. Checked once into a predicate, then run per
// file. Operators: eq, gt, gte, lt, lte, prefix, match (also spelled match-phrase), exist, and, or, not.
// Comparison follows the field's type: numbers numerically, times by instant, everything else as text.
// CustomLabels.<key> reaches one custom label (compared as text).
import { invalidArgument } from './api-error.ts';
import type { ImmFileRecord } from './types.ts';

type Kind = 'text' | 'number' | 'time';

const FIELDS: Record<string, Kind> = {
  URI: 'text',
  Filename: 'text',
  ContentType: 'text',
  MediaType: 'text',
  FileHash: 'text',
  ETag: 'text',
  OSSCRC64: 'text',
  CustomId: 'text',
  Title: 'text',
  ObjectId: 'text',
  DatasetName: 'text',
  ProjectName: 'text',
  LatLong: 'text',
  Size: 'number',
  FileModifiedTime: 'time',
  ProduceTime: 'time',
  CreateTime: 'time',
  UpdateTime: 'time',
};

const LOGICAL = new Set(['and', 'or', 'not']);
const LEAF = new Set(['eq', 'gt', 'gte', 'lt', 'lte', 'prefix', 'match', 'match-phrase', 'exist']);

export type Predicate = (f: ImmFileRecord) => boolean;

/** When the whole query is (or is an `and` holding) a prefix on URI: where a URI-ordered scan can start and stop. */
export interface QueryPlan {
  test: Predicate;
  uriPrefix?: string;
}

function fieldKind(field: string): Kind {
  if (field.startsWith('CustomLabels.') && field.length > 'CustomLabels.'.length) return 'text';
  const kind = FIELDS[field];
  if (!kind) throw invalidArgument(`The field "${field}" is not supported in Query.`);
  return kind;
}

function read(f: ImmFileRecord, field: string): unknown {
  if (field.startsWith('CustomLabels.')) return f.CustomLabels?.[field.slice('CustomLabels.'.length)];
  return (f as unknown as Record<string, unknown>)[field];
}

function toComparable(kind: Kind, v: unknown): number | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (kind === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (kind === 'time') {
    const ms = Date.parse(String(v));
    return Number.isNaN(ms) ? undefined : ms;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function compileLeaf(op: string, field: string, value: unknown): Predicate {
  const kind = fieldKind(field);
  if (op === 'exist') return (f) => read(f, field) !== undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw invalidArgument(`The Value of a "${op}" query on ${field} is required.`);
  }
  const text = String(value);
  if (op === 'prefix') return (f) => String(read(f, field) ?? '').startsWith(text);
  if (op === 'match' || op === 'match-phrase') {
    const needle = text.toLowerCase();
    return (f) => {
      const v = read(f, field);
      return v !== undefined && String(v).toLowerCase().includes(needle);
    };
  }
  const want = toComparable(kind, text);
  if (want === undefined)
    throw invalidArgument(`The Value "${text}" does not fit the ${kind} field ${field}.`);
  const cmp = (f: ImmFileRecord): number | undefined => {
    const got = toComparable(kind, read(f, field));
    if (got === undefined) return undefined;
    return got < want ? -1 : got > want ? 1 : 0;
  };
  switch (op) {
    case 'eq':
      return (f) => cmp(f) === 0;
    case 'gt':
      return (f) => (cmp(f) ?? 0) > 0;
    case 'gte':
      return (f) => (cmp(f) ?? -1) >= 0;
    case 'lt':
      return (f) => (cmp(f) ?? 0) < 0;
    default:
      return (f) => (cmp(f) ?? 1) <= 0;
  }
}

function compile(node: unknown, depth: number): Predicate {
  if (depth > 20) throw invalidArgument('The Query is nested too deeply (at most 20 levels).');
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw invalidArgument('Each Query node must be a JSON object.');
  }
  const q = node as Record<string, unknown>;
  const op = q.Operation;
  if (typeof op !== 'string' || op === '') throw invalidArgument('The Query needs an Operation.');
  if (LOGICAL.has(op)) {
    const subs = q.SubQueries;
    if (!Array.isArray(subs) || subs.length === 0) {
      throw invalidArgument(`The "${op}" Operation needs at least one entry in SubQueries.`);
    }
    const preds = subs.map((s) => compile(s, depth + 1));
    if (op === 'and') return (f) => preds.every((p) => p(f));
    if (op === 'or') return (f) => preds.some((p) => p(f));
    return (f) => !preds.some((p) => p(f));
  }
  if (!LEAF.has(op)) throw invalidArgument(`The Operation "${op}" is not supported.`);
  if (typeof q.Field !== 'string' || q.Field === '') {
    throw invalidArgument(`The "${op}" Operation needs a Field.`);
  }
  return compileLeaf(op, q.Field, q.Value);
}

function uriPrefixOf(node: Record<string, unknown>): string | undefined {
  if (node.Operation === 'prefix' && node.Field === 'URI' && typeof node.Value === 'string')
    return node.Value;
  if (node.Operation === 'and' && Array.isArray(node.SubQueries)) {
    for (const s of node.SubQueries as Record<string, unknown>[]) {
      const p = typeof s === 'object' && s !== null ? uriPrefixOf(s) : undefined;
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

/** Compiles a Query (undefined = every file); throws InvalidArgument naming the problem. */
export function planQuery(query: unknown): QueryPlan {
  if (query === undefined) return { test: () => true };
  const test = compile(query, 0);
  const prefix = uriPrefixOf(query as Record<string, unknown>);
  return prefix === undefined ? { test } : { test, uriPrefix: prefix };
}

export function checkSortField(field: string): Kind {
  return fieldKind(field);
}

export function sortValue(f: ImmFileRecord, field: string, kind: Kind): number | string | undefined {
  return toComparable(kind, read(f, field));
}
