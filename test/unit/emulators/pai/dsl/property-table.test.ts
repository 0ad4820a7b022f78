// One row per (property, operator) cell of the "Supported properties for DSL queries" tables.
// The table below is a literal copy of the documentation (✅ / ❌ / -), kept independent of the
// source's own transcription so a typo on either side fails here.
import { describe, expect, it } from 'vitest';
import { compileQueryExpression, DslSyntaxError } from '../../../../../src/emulators/pai/dsl/index.ts';
import { ALL_IDS, IMAGE_IDS, matchingIds, thrownBy } from './records.ts';

type Mark = '✅' | '❌' | '-';
type Column =
  'tokenContains' | 'tokenNotContains' | 'equals' | 'notEquals' | 'exists' | 'range' | 'and' | 'or';

// prettier-ignore
const DOC_TABLE: Array<[string, string, Mark, Mark, Mark, Mark, Mark, Mark, Mark, Mark]> = [
  // name,                     type,      :    NOT:  =    NOT= HAS  range AND  OR
  ['DatasetFileMetaId',       'KEYWORD', '-', '-', '✅', '✅', '✅', '-', '✅', '✅'],
  ['FileName',                'TEXT',    '✅', '✅', '✅', '✅', '✅', '-', '✅', '✅'],
  ['FileDir',                 'TEXT',    '✅', '✅', '✅', '✅', '✅', '-', '✅', '✅'],
  ['FileType',                'KEYWORD', '-', '-', '✅', '✅', '✅', '-', '✅', '✅'],
  ['ContentType',             'KEYWORD', '-', '-', '✅', '✅', '✅', '-', '✅', '✅'],
  ['DataSize',                'NUMBER',  '-', '-', '✅', '-', '✅', '✅', '✅', '✅'],
  ['FileUpdateTime',          'DATE',    '-', '-', '-', '-', '✅', '✅', '✅', '✅'],
  ['SyncTime',                'DATE',    '-', '-', '-', '-', '✅', '✅', '✅', '✅'],
  ['TagUpdateTime',           'DATE',    '-', '-', '-', '-', '✅', '✅', '✅', '✅'],
  ['SemanticIndexUpdateTime', 'DATE',    '-', '-', '-', '-', '✅', '✅', '✅', '✅'],
  ['Status',                  'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['Tags.ai',                 'KEYWORD', '-', '-', '✅', '✅', '✅', '-', '✅', '✅'],
  ['Tags.user',               'KEYWORD', '-', '-', '✅', '✅', '✅', '-', '✅', '✅'],
  ['Tags.all',                'KEYWORD', '-', '-', '✅', '✅', '✅', '-', '✅', '✅'],
  ['Content',                 'TEXT',    '✅', '-', '❌', '❌', '❌', '-', '✅', '❌'],
  ['TopK',                    'NUMBER',  '-', '-', '✅', '-', '❌', '❌', '✅', '❌'],
  ['ScoreThreshold',          'NUMBER',  '-', '-', '✅', '-', '❌', '❌', '✅', '❌'],
  ['QueryType',               'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['SignMode',                'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['ThumbnailMode',           'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['SortBy',                  'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['Order',                   'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['NextToken',               'KEYWORD', '-', '-', '✅', '❌', '❌', '-', '✅', '❌'],
  ['MaxResults',              'NUMBER',  '-', '-', '✅', '-', '❌', '❌', '✅', '❌'],
];

const COLUMNS: Column[] = [
  'tokenContains',
  'tokenNotContains',
  'equals',
  'notEquals',
  'exists',
  'range',
  'and',
  'or',
];

/**
 * What each property is probed with, and which fixed records the positive forms select.
 * Negated forms expect the exact complement: a missing field fails every comparison.
 * Parameters (role 'param') match every record and land in `params`.
 */
interface Probe {
  token?: { value: string; ids: string[] };
  equals?: { value: string; ids: string[]; param?: string | number };
  has?: string[];
  range?: { value: string; ids: string[] };
}

const NOT_F = ALL_IDS.filter((id) => id !== 'f');

const PROBES: Record<string, Probe> = {
  DatasetFileMetaId: { equals: { value: "'b'", ids: ['b'] }, has: ALL_IDS },
  FileName: {
    token: { value: "'lane line'", ids: ['a'] },
    equals: { value: "'clip.mp4'", ids: ['d'] },
    has: NOT_F,
  },
  FileDir: {
    token: { value: "'blue car'", ids: ['a', 'e'] },
    equals: { value: "'pets/white/'", ids: ['c'] },
    has: NOT_F,
  },
  FileType: { equals: { value: "'video'", ids: ['d'] }, has: NOT_F },
  ContentType: { equals: { value: "'image/png'", ids: ['c'] }, has: NOT_F },
  DataSize: {
    equals: { value: '12345', ids: ['a', 'e'] },
    has: NOT_F,
    range: { value: '12345', ids: ['c', 'd'] },
  },
  // Strictly greater: 'a' (exactly 2025-03-01) is excluded.
  FileUpdateTime: { has: NOT_F, range: { value: "'2025-03-01T00:00:00Z'", ids: ['c', 'e'] } },
  SyncTime: { has: ['a', 'b'], range: { value: "'2025-02-01T00:00:00Z'", ids: ['a'] } },
  TagUpdateTime: { has: ['a', 'b'], range: { value: "'2025-02-01T00:00:00Z'", ids: ['a'] } },
  SemanticIndexUpdateTime: { has: ['a', 'b'], range: { value: "'2025-02-01T00:00:00Z'", ids: ['a'] } },
  Status: { equals: { value: "'DELETED'", ids: ['e'] } },
  'Tags.ai': { equals: { value: "'lane line'", ids: ['a', 'e'] }, has: ['a', 'b', 'e', 'g'] },
  'Tags.user': { equals: { value: "'lane line'", ids: ['c'] }, has: ['a', 'b', 'c'] },
  'Tags.all': { equals: { value: "'lane line'", ids: ['a', 'c', 'e'] }, has: ['a', 'b', 'c', 'e', 'g'] },
  Content: { token: { value: "'cat'", ids: ['b'] } },
  TopK: { equals: { value: '10', ids: ALL_IDS, param: 10 } },
  ScoreThreshold: { equals: { value: '0.6', ids: ALL_IDS, param: 0.6 } },
  QueryType: { equals: { value: "'MIX'", ids: ALL_IDS, param: 'MIX' } },
  SignMode: { equals: { value: "'PUBLIC'", ids: ALL_IDS, param: 'PUBLIC' } },
  ThumbnailMode: { equals: { value: "'w_100'", ids: ALL_IDS, param: 'w_100' } },
  SortBy: { equals: { value: "'FileCreateTime'", ids: ALL_IDS, param: 'FileCreateTime' } },
  Order: { equals: { value: "'DESC'", ids: ALL_IDS, param: 'DESC' } },
  NextToken: { equals: { value: "'90a6ee35_1729644433000'", ids: ALL_IDS, param: '90a6ee35_1729644433000' } },
  MaxResults: { equals: { value: '50', ids: ALL_IDS, param: 50 } },
};

const complement = (ids: string[]): string[] => ALL_IDS.filter((id) => !ids.includes(id));

interface Cell {
  name: string;
  type: string;
  column: Column;
  mark: Mark;
  probe: Probe;
  /** The first accepted positive condition of the property, reused by the AND / OR cells. */
  base: { expression: string; ids: string[] } | undefined;
}

function baseCondition(name: string, probe: Probe): Cell['base'] {
  if (probe.token) return { expression: `${name}:${probe.token.value}`, ids: probe.token.ids };
  if (probe.equals) return { expression: `${name}=${probe.equals.value}`, ids: probe.equals.ids };
  if (probe.has) return { expression: `HAS ${name}`, ids: probe.has };
  return undefined;
}

const CELLS: Cell[] = DOC_TABLE.flatMap(([name, type, ...marks]) => {
  const probe = PROBES[name] ?? {};
  return COLUMNS.map((column, i) => ({
    name,
    type,
    column,
    mark: marks[i] ?? '-',
    probe,
    base: baseCondition(name, probe),
  }));
});

/** Placeholder values for rejected cells: type-correct, so only the operator can be at fault. */
function anyValue(type: string): string {
  return type === 'NUMBER' ? '1' : type === 'DATE' ? "'2025-01-01T00:00:00Z'" : "'x'";
}

function expectAccepted(expression: string, ids: string[]): void {
  expect(matchingIds(expression), expression).toEqual(ids);
}

function expectRejected(expression: string, position: number, name: string): void {
  const error = thrownBy(() => compileQueryExpression(expression));
  expect(error, expression).toBeInstanceOf(DslSyntaxError);
  expect((error as DslSyntaxError).position, `${expression}: ${(error as Error).message}`).toBe(position);
  expect((error as DslSyntaxError).message).toContain(name);
  expect((error as DslSyntaxError).message).toMatch(/ at position \d+$/);
}

function union(a: string[], b: string[]): string[] {
  return ALL_IDS.filter((id) => a.includes(id) || b.includes(id));
}

describe.each(['✅', '❌', '-'] as const)('supported properties: %s cells', (mark) => {
  const cells = CELLS.filter((c) => c.mark === mark);

  it.each(cells)('$name $column', (cell) => {
    const { name, type, column, probe } = cell;
    const accepted = mark === '✅';
    const len = name.length;
    switch (column) {
      case 'tokenContains': {
        const value = probe.token?.value ?? anyValue(type);
        if (accepted) expectAccepted(`${name}:${value}`, probe.token?.ids ?? ['probe missing']);
        else expectRejected(`${name}:${value}`, len, name);
        return;
      }
      case 'tokenNotContains': {
        const value = probe.token?.value ?? anyValue(type);
        if (accepted) expectAccepted(`NOT ${name}:${value}`, complement(probe.token?.ids ?? []));
        // Rejected at ':' when the property has no token match at all, else at the NOT.
        else expectRejected(`NOT ${name}:${value}`, probe.token ? 0 : 4 + len, name);
        return;
      }
      case 'equals': {
        const value = probe.equals?.value ?? anyValue(type);
        if (accepted) {
          expectAccepted(`${name}=${value}`, probe.equals?.ids ?? ['probe missing']);
          const params = compileQueryExpression(`${name}=${value}`).params;
          if (probe.equals?.param !== undefined) expect(params).toEqual({ [name]: probe.equals.param });
          else expect(params).toEqual({});
        } else expectRejected(`${name}=${value}`, len, name);
        return;
      }
      case 'notEquals': {
        const value = probe.equals?.value ?? anyValue(type);
        if (accepted) expectAccepted(`NOT ${name} = ${value}`, complement(probe.equals?.ids ?? []));
        else expectRejected(`NOT ${name} = ${value}`, probe.equals ? 0 : 4 + len + 1, name);
        return;
      }
      case 'exists':
        if (accepted) {
          expectAccepted(`HAS ${name}`, probe.has ?? ['probe missing']);
          expectAccepted(`NOT HAS ${name}`, complement(probe.has ?? []));
        } else {
          expectRejected(`HAS ${name}`, 0, name);
          expectRejected(`NOT HAS ${name}`, 4, name);
        }
        return;
      case 'range': {
        const value = probe.range?.value ?? anyValue(type);
        if (accepted) expectAccepted(`${name} > ${value}`, probe.range?.ids ?? ['probe missing']);
        else expectRejected(`${name} > ${value}`, len + 1, name);
        return;
      }
      case 'and': {
        const base = cell.base;
        expect(base, 'every property has an accepted condition to combine').toBeDefined();
        if (!base) return;
        expectAccepted(
          `${base.expression} AND FileType='image'`,
          base.ids.filter((id) => IMAGE_IDS.includes(id)),
        );
        expectAccepted(
          `FileType='image' AND (${base.expression})`,
          base.ids.filter((id) => IMAGE_IDS.includes(id)),
        );
        return;
      }
      case 'or': {
        const base = cell.base;
        expect(base).toBeDefined();
        if (!base) return;
        const left = `${base.expression} OR FileType='video'`;
        const right = `FileType='video' OR ${base.expression}`;
        if (accepted) {
          expectAccepted(left, union(base.ids, ['d']));
          expectAccepted(right, union(base.ids, ['d']));
        } else {
          // Reported at the property, wherever it sits.
          expectRejected(left, base.expression.indexOf(name), name);
          expectRejected(right, right.lastIndexOf(name), name);
        }
        return;
      }
    }
  });
});

describe('properties outside the tables', () => {
  it('SemanticIndexJobId (used by the documented examples) allows HAS / NOT HAS only', () => {
    expectAccepted("HAS SemanticIndexJobId OR FileType='video'", ['a', 'b', 'd', 'e']);
    expectRejected("SemanticIndexJobId='dsjob-1'", 18, 'SemanticIndexJobId');
  });

  it('an unknown property is rejected at its name, with a case hint when one fits', () => {
    expectRejected("FileType='image' AND Bogus='x'", 21, "unknown property 'Bogus'");
    expectRejected("fileName:'x'", 0, "did you mean 'FileName'");
    expectRejected("Tags.other='x'", 0, "unknown property 'Tags.other'");
  });
});
