// compareKeys (src/oss/key-order.ts) must order keys as OSS lists them: by UTF-8 bytes. This lives under
// test/unit/sync because the sync engine is what depends on that order (planner ranges, state store).
import { describe, expect, it } from 'vitest';
import { compareKeys } from '../../../src/oss/key-order.ts';

describe('compareKeys', () => {
  it.each([
    ['a', 'b'],
    ['a', 'a/'],
    ['a/', 'a/b'],
    ['a/b', 'ab'],
    ['A', 'a'],
    ['', 'a'],
    ['z', 'é'],
    // U+FFFD (EF BF BD) sorts before an astral emoji (F0 ...) in UTF-8, although UTF-16 says the opposite.
    ['\uFFFD', '🎉'],
    ['\uE000', '𝄞'],
  ])('%j < %j', (a, b) => {
    expect(Math.sign(compareKeys(a, b))).toBe(-1);
    expect(Math.sign(compareKeys(b, a))).toBe(1);
  });

  it('says equal for equal keys', () => {
    expect(compareKeys('ü/🎉', 'ü/🎉')).toBe(0);
  });

  it('disagrees with the UTF-16 order exactly where UTF-8 differs', () => {
    // JS < compares code units: the surrogate D83C of "🎉" is below FFFD.
    expect('🎉' < '\uFFFD').toBe(true);
    expect(compareKeys('🎉', '\uFFFD')).toBeGreaterThan(0);
  });

  it('sorts a mixed list the same as Buffer.compare of the UTF-8 bytes', () => {
    const keys = [
      'ab',
      'a',
      'a/b',
      'a/',
      '🎉',
      '\uFFFD',
      'é',
      'Z',
      'a b',
      'a+b',
      'a%b',
      'a#b',
      'a?b',
      'a\nb',
      '日本',
    ];
    const want = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(want);
    expect(want.indexOf('\uFFFD')).toBeLessThan(want.indexOf('🎉'));
  });
});

describe('compareKeys against the UTF-8 bytes', () => {
  it('agrees with Buffer.compare on random keys mixing ASCII, BMP, private-use and astral characters', () => {
    const alphabet = [
      'a',
      'b',
      '/',
      'é',
      '中',
      '\uE000',
      '\uFFFD',
      '\uFFFF',
      '🎉',
      '𝄞',
      '\u{10FFFF}',
      '\u007F',
    ];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const key = () => Array.from({ length: rnd(5) }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const a = key();
      const b = rnd(4) === 0 ? a : key();
      const bytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
      expect(Math.sign(compareKeys(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(bytes);
    }
  });
});
