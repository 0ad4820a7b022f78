// Behaviour the tables leave open and the README documents: precedence, NOT placement,
// tokenisation, case rules, dates, missing fields, escapes, Status and parameters.
import { describe, expect, it } from 'vitest';
import { compileQueryExpression } from '../../../../../src/emulators/pai/dsl/index.ts';
import { except, matchingIds } from './records.ts';

interface Row {
  expression: string;
  ids: string[];
}

const cases = (rows: Row[]): Row[] => rows;

describe('precedence: NOT binds tightest, then AND, then OR', () => {
  it.each(
    cases([
      // OR of (image AND small): 'd' by name, 'b' and 'g' by size.
      { expression: "FileName:'clip' OR FileType='image' AND DataSize < 600", ids: ['b', 'd', 'g'] },
      { expression: "(FileName:'clip' OR FileType='image') AND DataSize < 600", ids: ['b', 'g'] },
      // (NOT image) AND HAS FileName: 'f' has no FileName, so only 'd'.
      { expression: "NOT FileType='image' AND HAS FileName", ids: ['d'] },
      { expression: "NOT (FileType='image' AND HAS FileName)", ids: ['d', 'f'] },
      { expression: "NOT (FileType='image' OR FileType='video')", ids: ['f'] },
      { expression: "NOT NOT FileType='video'", ids: ['d'] },
      { expression: 'NOT NOT DataSize = 500', ids: ['b'] },
      { expression: "has FileName and not FileType='image'", ids: ['d'] },
      { expression: "((((FileType='video'))))", ids: ['d'] },
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression)).toEqual(ids);
  });
});

describe('TEXT token match and exact match', () => {
  it.each(
    cases([
      { expression: "FileName:'LANE'", ids: ['a'] }, // tokens are lower-cased on both sides
      { expression: "FileName:'lan'", ids: [] }, // whole tokens only, no prefixes
      { expression: "FileName:'line 001'", ids: ['a'] },
      { expression: "FileName:'lane 001'", ids: [] }, // the sequence must be contiguous
      { expression: "FileName:'001 line'", ids: [] }, // and in order
      { expression: "FileName:'jpg'", ids: ['a', 'b', 'e', 'g'] }, // '.' separates tokens
      { expression: "FileDir:'blue_car'", ids: ['a', 'e'] }, // so does '_' (on both sides)
      { expression: "FileName:'道线'", ids: ['g'] }, // each CJK character is a token
      { expression: "FileDir:'数据 车道'", ids: ['g'] },
      { expression: "FileName:'车线'", ids: [] },
      { expression: "FileName='lane line 001.jpg'", ids: ['a'] },
      { expression: "FileName='Lane line 001.jpg'", ids: [] }, // '=' is exact and case-sensitive
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression)).toEqual(ids);
  });
});

describe('KEYWORD, NUMBER and tags', () => {
  it.each(
    cases([
      { expression: "FileType='IMAGE'", ids: [] }, // KEYWORD is case-sensitive
      { expression: "ContentType='image'", ids: [] }, // and exact: no prefix match
      { expression: "DataSize='500'", ids: ['b'] }, // a quoted number is accepted for NUMBER
      { expression: 'DataSize = 5e2', ids: ['b'] },
      { expression: 'DataSize > -1', ids: except('f') },
      { expression: "Tags.all='Lane line'", ids: [] }, // tags compare case-sensitively
      { expression: "Tags.all='lane line' AND Tags.all='barrier gate'", ids: ['a', 'e'] },
      { expression: "NOT Tags.user='rainy days'", ids: except('b') },
      { expression: "DatasetFileMetaId='a' OR DatasetFileMetaId='g'", ids: ['a', 'g'] },
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression)).toEqual(ids);
  });

  it('a bare number against a KEYWORD property compares its source text', () => {
    const records = [{ DatasetFileMetaId: '42' }, { DatasetFileMetaId: '42.0' }];
    expect(matchingIds('DatasetFileMetaId=42', records)).toEqual(['42']);
  });

  it('Tags.* read only string entries of the ai / user arrays', () => {
    const records = [
      { DatasetFileMetaId: 'x', Tags: { ai: [1, 'ok'], 'user-delete-ai-tags': ['gone'] } },
      { DatasetFileMetaId: 'y', Tags: 'not parsed' },
    ];
    expect(matchingIds("Tags.all='ok'", records)).toEqual(['x']);
    expect(matchingIds("Tags.all='gone'", records)).toEqual([]);
    expect(matchingIds('HAS Tags.user', records)).toEqual([]);
  });
});

describe('DATE comparisons compare instants', () => {
  it.each(
    cases([
      // 'g' is 2025-02-01T00:00:00+08:00 = 2025-01-31T16:00:00Z.
      { expression: "FileUpdateTime < '2025-02-01T00:00:00Z'", ids: ['b', 'd', 'g'] },
      { expression: "FileUpdateTime >= '2025-01-31T16:00:00Z'", ids: ['a', 'c', 'e', 'g'] },
      { expression: "FileUpdateTime <= '2025-01-31T16:00:00.000Z'", ids: ['b', 'd', 'g'] },
      { expression: "FileUpdateTime >= '2025-06-01'", ids: ['c'] }, // a date alone is midnight UTC
      { expression: "FileUpdateTime > '2025-05-31T20:00:00-04:00'", ids: [] }, // = 2025-06-01T00:00Z
      { expression: "FileUpdateTime > '2025-05-31T19:59:59-0400'", ids: ['c'] },
      { expression: "FileUpdateTime > '2025-05-31T23:59:59'", ids: ['c'] }, // no offset means UTC
      { expression: "TagUpdateTime >= '2025-01-12T08:00:00Z'", ids: ['a', 'b'] }, // '.000Z' on the record side
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression)).toEqual(ids);
  });

  it('an unparsable date on the record side fails the comparison', () => {
    const records = [
      { DatasetFileMetaId: 'bad', FileUpdateTime: 'yesterday' },
      { DatasetFileMetaId: 'num', FileUpdateTime: 1736496000000 },
    ];
    expect(matchingIds("FileUpdateTime > '2000-01-01'", records)).toEqual([]);
    expect(matchingIds("NOT FileUpdateTime > '2000-01-01'", records)).toEqual(['bad', 'num']);
  });
});

describe('missing fields', () => {
  it.each(
    cases([
      { expression: 'DataSize < 100000', ids: except('f') },
      { expression: 'NOT DataSize < 100000', ids: ['f'] },
      { expression: "NOT FileName:'lane'", ids: except('a') },
      { expression: "NOT ContentType='image/jpeg'", ids: ['c', 'd', 'f'] },
      { expression: 'NOT HAS Tags.all', ids: ['d', 'f'] }, // 'd' has empty arrays
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression)).toEqual(ids);
  });
});

describe('strings', () => {
  const records = [
    { DatasetFileMetaId: 'q', FileName: "it's.jpg" },
    { DatasetFileMetaId: 'dq', FileName: 'say "hi".txt' },
    { DatasetFileMetaId: 'bs', FileName: 'back\\slash' },
  ];

  it.each(
    cases([
      { expression: "FileName='it\\'s.jpg'", ids: ['q'] },
      { expression: 'FileName="it\'s.jpg"', ids: ['q'] },
      { expression: 'FileName="say \\"hi\\".txt"', ids: ['dq'] },
      { expression: 'FileName=\'say "hi".txt\'', ids: ['dq'] },
      { expression: "FileName='back\\\\slash'", ids: ['bs'] },
      { expression: "FileName:'HI'", ids: ['dq'] },
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression, records)).toEqual(ids);
  });

  it('whitespace of any kind separates tokens', () => {
    expect(matchingIds("\n\tFileType\t=\n'video'\r\n")).toEqual(['d']);
  });
});

describe('Status and parameters', () => {
  it('Status selects records and is reported', () => {
    const active = compileQueryExpression("Status='ACTIVE' AND FileType='image'");
    expect(active.status).toBe('ACTIVE');
    expect(matchingIds("Status='ACTIVE' AND FileType='image'")).toEqual(['a', 'b', 'c', 'g']);
    expect(compileQueryExpression("(FileType='image' AND Status='DELETED')").status).toBe('DELETED');
    expect(compileQueryExpression("FileType='image'").status).toBeUndefined();
    // Without a Status condition, deleted records are not filtered here: the caller applies its default.
    expect(matchingIds("FileName:'toyota'")).toEqual(['e']);
  });

  it('all general parameters are collected with their types and match every record', () => {
    const expression =
      "QueryType='MIX' AND MaxResults=50 AND ScoreThreshold='0.6' AND Order='ASC' AND SortBy='FileUpdateTime' AND ThumbnailMode='w_100' AND NextToken='x_1' AND SignMode='PUBLIC' AND TopK=7";
    expect(compileQueryExpression(expression).params).toEqual({
      QueryType: 'MIX',
      MaxResults: 50,
      ScoreThreshold: 0.6,
      Order: 'ASC',
      SortBy: 'FileUpdateTime',
      ThumbnailMode: 'w_100',
      NextToken: 'x_1',
      SignMode: 'PUBLIC',
      TopK: 7,
    });
    expect(matchingIds(expression)).toEqual(except());
  });

  it('parameters nested in AND groups are still collected', () => {
    const query = compileQueryExpression("(FileType='video' AND (TopK=3 AND Order='DESC'))");
    expect(query.params).toEqual({ TopK: 3, Order: 'DESC' });
    expect(matchingIds("(FileType='video' AND (TopK=3 AND Order='DESC'))")).toEqual(['d']);
  });
});

describe('Content (lexical stand-in for vector search)', () => {
  it.each(
    cases([
      { expression: "Content:'cat'", ids: ['b'] }, // FileName token and ai tag
      { expression: "Content:'a sunny afternoon'", ids: ['a'] }, // any shared token: user tag 'sunny day'
      { expression: "Content:'LANE'", ids: ['a', 'c', 'e'] }, // FileName or ai tag or user tag
      { expression: "Content:'车'", ids: ['g'] },
      { expression: "Content:'zebra'", ids: [] },
      { expression: "Content:'blue'", ids: [] }, // FileDir is not searched
    ]),
  )('$expression', ({ expression, ids }) => {
    expect(matchingIds(expression)).toEqual(ids);
  });
});
