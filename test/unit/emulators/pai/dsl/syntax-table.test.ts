// One row per row of the documentation's "DSL query syntax" table, with the table's own example,
// plus the long QueryExpression example from the parameter description.
import { describe, expect, it } from 'vitest';
import { compileQueryExpression, DslSyntaxError } from '../../../../../src/emulators/pai/dsl/index.ts';
import { except, matchingIds, thrownBy } from './records.ts';

interface SyntaxRow {
  keyword: string;
  example: string;
  ids: string[];
}

const ROWS: SyntaxRow[] = [
  { keyword: ':', example: "FileName:'lane line'", ids: ['a'] },
  { keyword: 'NOT :', example: "NOT FileName : 'lane line'", ids: except('a') },
  { keyword: '=', example: "FileType='image'", ids: ['a', 'b', 'c', 'e', 'g'] },
  // 'f' has no FileType: a missing field never equals, so the exclusion keeps it.
  { keyword: 'NOT =', example: "NOT FileType = 'video'", ids: except('d') },
  // 'd' has SemanticIndexJobId: '' which does not count as present.
  { keyword: 'HAS', example: 'HAS SemanticIndexJobId', ids: ['a', 'b', 'e'] },
  { keyword: 'NOT HAS', example: 'NOT HAS SemanticIndexJobId', ids: ['c', 'd', 'f', 'g'] },
  // The '""' row has no example of its own: double quotes must behave exactly like single quotes.
  { keyword: '""', example: 'FileType="image"', ids: ['a', 'b', 'c', 'e', 'g'] },
  {
    keyword: '()',
    example:
      "(FileName:'black' AND ContentType='image/jpeg') OR (FileName:'white' AND ContentType='image/png')",
    ids: ['b', 'c'],
  },
  // 'g' was updated 2025-02-01T00:00:00+08:00 = 2025-01-31T16:00Z, after the bound, but is 1 byte.
  {
    keyword: '>',
    example: "FileUpdateTime> '2025-01-16T11:52:56.000Z' AND DataSize >= 12345",
    ids: ['a', 'c', 'e'],
  },
  {
    keyword: '>=',
    example: "FileUpdateTime> '2025-01-16T11:52:56.000Z' AND DataSize >= 12345",
    ids: ['a', 'c', 'e'],
  },
  { keyword: '<', example: "FileUpdateTime < '2025-01-16T11:52:56.000Z' AND DataSize <= 12345", ids: ['b'] },
  { keyword: '<=', example: "FileUpdateTime < '2025-01-16T11:52:56.000Z' AND DataSize <= 12345", ids: ['b'] },
  { keyword: 'OR', example: "FileType='image' OR FileType='video'", ids: except('f') },
];

describe('DSL query syntax table', () => {
  it.each(ROWS)('$keyword: $example', ({ example, ids }) => {
    expect(matchingIds(example)).toEqual(ids);
  });

  it('"" : single and double quotes have the same effect', () => {
    expect(matchingIds('FileName:"lane line"')).toEqual(matchingIds("FileName:'lane line'"));
    expect(matchingIds("FileType='image'")).toEqual(matchingIds('FileType="image"'));
  });

  it('>= and <= include the bound itself', () => {
    expect(matchingIds('DataSize >= 12345')).toEqual(['a', 'c', 'd', 'e']);
    expect(matchingIds('DataSize > 12345')).toEqual(['c', 'd']);
    expect(matchingIds('DataSize <= 12345')).toEqual(['a', 'b', 'e', 'g']);
    expect(matchingIds('DataSize < 12345')).toEqual(['b', 'g']);
  });

  // The AND row's own example uses ContentType:'image/png', but the property table marks
  // "Token contains" as '-' for ContentType (KEYWORD). The property table wins: rejected.
  it("AND: the documented example \"FileType='image' AND ContentType:'image/png'\" is rejected (table says KEYWORD has no ':')", () => {
    const example = "FileType='image' AND ContentType:'image/png'";
    const error = thrownBy(() => compileQueryExpression(example));
    expect(error).toBeInstanceOf(DslSyntaxError);
    expect((error as DslSyntaxError).position).toBe(example.indexOf(':'));
    expect((error as DslSyntaxError).message).toContain("ContentType (KEYWORD) does not support ':'");
  });

  it('AND: the same intent with = matches', () => {
    expect(matchingIds("FileType='image' AND ContentType='image/png'")).toEqual(['c']);
    expect(matchingIds("FileType='image' and ContentType='image/jpeg'")).toEqual(['a', 'b', 'e', 'g']);
  });

  it('AND / OR are case-insensitive', () => {
    expect(matchingIds("FileType='image' or FileType='video'")).toEqual(except('f'));
    expect(matchingIds("FileType='image' Or FileType='video' aNd DataSize > 1")).toEqual(except('f'));
  });
});

describe('QueryExpression parameter example', () => {
  const EXAMPLE =
    "(FileUpdateTime > '2025-02-28T00:00:00Z' AND FileUpdateTime < '2025-05-30T09:27:29Z') AND FileDir:'blue_car' AND NOT FileName=\"toyota.jpg\" AND (( Tags.all='lane line' AND Tags.all='barrier gate') OR NOT Tags.user='rainy days' ) AND HAS SemanticIndexJobId AND Content:'a fallen water horse' AND TopK=100 AND SignMode='PUBLIC'";

  it('parses, collects TopK and SignMode as params, and selects no Status', () => {
    const query = compileQueryExpression(EXAMPLE);
    expect(query.params).toEqual({ TopK: 100, SignMode: 'PUBLIC' });
    expect(query.status).toBeUndefined();
  });

  // 'e' passes every filter but FileName="toyota.jpg"; 'a' passes all (its ai tag "water horse"
  // shares tokens with the Content text).
  it('evaluates over the fixed records', () => {
    expect(matchingIds(EXAMPLE)).toEqual(['a']);
  });

  it('Content takes part in the match: an unrelated text excludes the record', () => {
    expect(matchingIds(EXAMPLE.replace('a fallen water horse', 'zebra crossing'))).toEqual([]);
  });
});
