// The "Supported properties for DSL queries" tables of the ListDatasetFileMetas documentation,
// transcribed cell by cell. The documentation marks forbidden cells either ❌ or -; both are
// rejected here, so one boolean per cell is enough.
import type { DslRecord } from './types.ts';

export type PropertyType = 'KEYWORD' | 'TEXT' | 'NUMBER' | 'DATE';

/**
 * filter: a condition on the record.
 * status: selects ACTIVE/DELETED records (also reported as CompiledQuery.status).
 * content: vector-search text; approximated lexically (see README).
 * param: a request parameter smuggled into the expression; matches every record.
 */
export type PropertyRole = 'filter' | 'status' | 'content' | 'param';

/** One column of the documentation table each. */
export interface PropertyCapabilities {
  /** `prop:'v'` */
  tokenContains: boolean;
  /** `NOT prop:'v'` */
  tokenNotContains: boolean;
  /** `prop='v'` */
  equals: boolean;
  /** `NOT prop='v'` */
  notEquals: boolean;
  /** `HAS prop` and `NOT HAS prop` */
  exists: boolean;
  /** `>`, `>=`, `<`, `<=` */
  range: boolean;
  /** May appear under OR. Where false it may not appear under NOT either (NOT of an AND is an OR). */
  or: boolean;
}

export interface PropertySpec {
  name: string;
  type: PropertyType;
  role: PropertyRole;
  can: PropertyCapabilities;
  /** Reads the field from a record; tag properties return the (possibly merged) tag array. */
  read(record: DslRecord): unknown;
}

type Row = [
  name: string,
  type: PropertyType,
  role: PropertyRole,
  cells: string, // tokenContains tokenNotContains equals notEquals exists range or; 'Y' = ✅, '.' = ❌ or -
];

// prettier-ignore
const ROWS: Row[] = [
  // Basic metadata properties          : !: =  !=  HAS range OR
  ['DatasetFileMetaId',       'KEYWORD', 'filter',  '..YYY.Y'],
  ['FileName',                'TEXT',    'filter',  'YYYYY.Y'],
  ['FileDir',                 'TEXT',    'filter',  'YYYYY.Y'],
  ['FileType',                'KEYWORD', 'filter',  '..YYY.Y'],
  ['ContentType',             'KEYWORD', 'filter',  '..YYY.Y'],
  ['DataSize',                'NUMBER',  'filter',  '..Y.YYY'],
  ['FileUpdateTime',          'DATE',    'filter',  '....YYY'],
  ['SyncTime',                'DATE',    'filter',  '....YYY'],
  ['TagUpdateTime',           'DATE',    'filter',  '....YYY'],
  ['SemanticIndexUpdateTime', 'DATE',    'filter',  '....YYY'],
  ['Status',                  'KEYWORD', 'status',  '..Y....'],
  // Not in the documentation's tables, yet its own examples use `HAS SemanticIndexJobId`:
  // accepted with exactly what the examples show (HAS / NOT HAS), nothing more.
  ['SemanticIndexJobId',      'KEYWORD', 'filter',  '....Y.Y'],
  // Tag properties
  ['Tags.ai',                 'KEYWORD', 'filter',  '..YYY.Y'],
  ['Tags.user',               'KEYWORD', 'filter',  '..YYY.Y'],
  ['Tags.all',                'KEYWORD', 'filter',  '..YYY.Y'],
  // Vector query properties
  ['Content',                 'TEXT',    'content', 'Y......'],
  ['TopK',                    'NUMBER',  'param',   '..Y....'],
  ['ScoreThreshold',          'NUMBER',  'param',   '..Y....'],
  // General query properties
  ['QueryType',               'KEYWORD', 'param',   '..Y....'],
  ['SignMode',                'KEYWORD', 'param',   '..Y....'],
  ['ThumbnailMode',           'KEYWORD', 'param',   '..Y....'],
  ['SortBy',                  'KEYWORD', 'param',   '..Y....'],
  ['Order',                   'KEYWORD', 'param',   '..Y....'],
  ['NextToken',               'KEYWORD', 'param',   '..Y....'],
  ['MaxResults',              'NUMBER',  'param',   '..Y....'],
];

/** The string entries of one tag group; anything malformed reads as no tags. */
export function tagsOf(record: DslRecord, group: 'ai' | 'user' | 'user-delete-ai-tags'): string[] {
  const tags = record['Tags'];
  if (typeof tags !== 'object' || tags === null) return [];
  const list = (tags as Record<string, unknown>)[group];
  return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
}

function readerFor(name: string): (record: DslRecord) => unknown {
  switch (name) {
    case 'Tags.ai':
      return (r) => tagsOf(r, 'ai');
    case 'Tags.user':
      return (r) => tagsOf(r, 'user');
    case 'Tags.all':
      // "algorithm tags and user-defined tags (excluding algorithm tags deleted by the user)".
      return (r) => {
        const deleted = new Set(tagsOf(r, 'user-delete-ai-tags'));
        return [...tagsOf(r, 'ai').filter((t) => !deleted.has(t)), ...tagsOf(r, 'user')];
      };
    default:
      return (r) => r[name];
  }
}

function toSpec([name, type, role, cells]: Row): PropertySpec {
  const flag = (i: number): boolean => cells.charAt(i) === 'Y';
  return {
    name,
    type,
    role,
    can: {
      tokenContains: flag(0),
      tokenNotContains: flag(1),
      equals: flag(2),
      notEquals: flag(3),
      exists: flag(4),
      range: flag(5),
      or: flag(6),
    },
    read: readerFor(name),
  };
}

export const PROPERTIES: ReadonlyMap<string, PropertySpec> = new Map(
  ROWS.map((row) => [row[0], toSpec(row)]),
);

/** Property names are case-sensitive, as in the API; a case-insensitive hit only feeds "did you mean". */
export function lookupProperty(name: string): PropertySpec | undefined {
  return PROPERTIES.get(name);
}

export function suggestProperty(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const key of PROPERTIES.keys()) if (key.toLowerCase() === lower) return key;
  return undefined;
}
