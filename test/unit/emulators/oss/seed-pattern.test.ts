// `emulate --seed` key patterns: expansion and the messages for bad patterns, as tables.
import { describe, expect, it } from 'vitest';
import { parseSeedPattern } from '../../../../src/emulators/oss/seed-pattern.ts';

describe('parseSeedPattern', () => {
  it.each([
    ['seed/{n}.bin', 1000, 7, 'seed/007.bin'],
    ['seed/{n}.bin', 1_000_000, 42, 'seed/000042.bin'],
    ['img/{n:3}.jpg', 10, 5, 'img/005.jpg'],
    ['img/{n:2}.jpg', 1000, 123, 'img/123.jpg'],
    ['d{n/1000}/f{n}.txt', 1_000_000, 123_456, 'd123/f123456.txt'],
    ['d{n/1000}/f{n}.txt', 1_000_000, 999, 'd000/f000999.txt'],
    ['a ☃ {n}', 2, 1, 'a ☃ 1'],
    ['single.bin', 1, 0, 'single.bin'],
  ])('%s (N=%i) at %i -> %s', (pattern, count, index, key) => {
    expect(parseSeedPattern(pattern, count).keyAt(index)).toBe(key);
  });

  it.each([
    ['same.bin', 2, 'needs {n}'],
    ['x/{i}.bin', 5, 'unknown placeholder {i}'],
    ['x/{n/0}/{n}', 5, 'unknown placeholder {n/0}'],
    ['/abs/{n}', 5, 'must not start with /'],
    ['', 1, 'empty'],
  ])('%j (N=%i) is refused: %s', (pattern, count, says) => {
    expect(() => parseSeedPattern(pattern, count)).toThrow(says);
  });

  it('reports every problem at once', () => {
    expect(() => parseSeedPattern('/{x}', 3)).toThrow(
      /unknown placeholder \{x\}.*needs \{n\}.*must not start/,
    );
  });
});
