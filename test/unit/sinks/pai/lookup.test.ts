// lookupExpressions: the QueryExpressions that find a batch's objects by exact FileDir and FileName.
import { describe, expect, it } from 'vitest';
import { compileQueryExpression } from '../../../../src/emulators/pai/dsl/index.ts';
import { keyOfUri, lookupExpressions, NAMES_PER_QUERY } from '../../../../src/sinks/pai/lookup.ts';

describe('lookupExpressions', () => {
  it('groups names by directory, root keys by name alone', () => {
    expect(lookupExpressions(['a/x.txt', 'a/y.txt', 'b/c/z.txt', 'top.txt'])).toEqual([
      'FileDir="a/" AND (FileName="x.txt" OR FileName="y.txt")',
      'FileDir="b/c/" AND (FileName="z.txt")',
      '(FileName="top.txt")',
    ]);
  });

  it(`asks at most ${NAMES_PER_QUERY} names per expression`, () => {
    const keys = Array.from({ length: 45 }, (_, i) => `d/${i}.bin`);
    const exprs = lookupExpressions(keys);
    expect(exprs).toHaveLength(3);
    expect(exprs.map((e) => e.split(' OR ').length)).toEqual([20, 20, 5]);
  });

  it('escapes quotes and backslashes, and the result parses in the documented DSL', () => {
    const exprs = lookupExpressions(['q"d/a\\b "c".txt', 'ü 日本/🎉.png']);
    expect(exprs[0]).toBe('FileDir="q\\"d/" AND (FileName="a\\\\b \\"c\\".txt")');
    for (const e of exprs) expect(() => compileQueryExpression(e)).not.toThrow();
  });
});

describe('keyOfUri', () => {
  it('keeps only Uris of the bucket', () => {
    expect(keyOfUri('b', 'oss://b/a/b.txt')).toBe('a/b.txt');
    expect(keyOfUri('b', 'oss://bb/a')).toBeUndefined();
  });
});
