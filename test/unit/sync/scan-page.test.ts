// The scan processor's pure decisions: where a page ends within its partition, the state range it is
// compared with, and whether listing goes on after the checks that ran beside a request.
import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../../src/oss/object-store.ts';
import type { RunStatus } from '../../../src/runs/run-types.ts';
import {
  cutPage,
  pageStateRange,
  scanVerdict,
  type ScanCursor,
  type ScanVerdict,
} from '../../../src/sync/scan-page.ts';

const o = (key: string): ObjectEntry => ({ key, size: 1, etag: '"E"', lastModified: 0, type: 'Normal' });
const keys = (xs: readonly ObjectEntry[]) => xs.map((x) => x.key);

describe('cutPage', () => {
  const cases: Array<{
    name: string;
    cur: ScanCursor;
    objects: string[];
    token?: string;
    before?: string;
    kept: string[];
    reachedEnd: boolean;
    pageLast?: string;
    next?: ScanCursor;
  }> = [
    {
      name: 'a truncated page continues with its token, from its last key',
      cur: { page: 0 },
      objects: ['a', 'b'],
      token: 'T1',
      kept: ['a', 'b'],
      reachedEnd: false,
      pageLast: 'b',
      next: { page: 1, continuationToken: 'T1', lastKey: 'b' },
    },
    {
      name: 'the last page of the listing ends the partition',
      cur: { page: 3, continuationToken: 'T3', lastKey: 'b' },
      objects: ['c'],
      kept: ['c'],
      reachedEnd: true,
      pageLast: 'c',
    },
    {
      name: 'the partition bound cuts a page, and ends the partition even when OSS has more',
      cur: { page: 1, continuationToken: 'T1', lastKey: 'b' },
      objects: ['c', 'd', 'e'],
      token: 'T2',
      before: 'd',
      kept: ['c'],
      reachedEnd: true,
      pageLast: 'c',
    },
    {
      name: 'a page wholly past the bound keeps nothing; its range ends at the previous page',
      cur: { page: 2, continuationToken: 'T2', lastKey: 'c' },
      objects: ['x', 'y'],
      token: 'T3',
      before: 'd',
      kept: [],
      reachedEnd: true,
      pageLast: 'c',
    },
    {
      name: 'a page ending just below the bound goes on',
      cur: { page: 0 },
      objects: ['a', 'b'],
      token: 'T1',
      before: 'c',
      kept: ['a', 'b'],
      reachedEnd: false,
      pageLast: 'b',
      next: { page: 1, continuationToken: 'T1', lastKey: 'b' },
    },
    {
      name: 'an empty truncated first page goes on without a last key',
      cur: { page: 0 },
      objects: [],
      token: 'T1',
      kept: [],
      reachedEnd: false,
      next: { page: 1, continuationToken: 'T1' },
    },
    {
      name: 'an empty truncated later page keeps the previous last key',
      cur: { page: 4, continuationToken: 'T4', lastKey: 'k' },
      objects: [],
      token: 'T5',
      kept: [],
      reachedEnd: false,
      pageLast: 'k',
      next: { page: 5, continuationToken: 'T5', lastKey: 'k' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cut = cutPage(
        c.cur,
        c.objects.map(o),
        c.token,
        c.before !== undefined ? { before: c.before } : {},
      );
      expect(keys(cut.objects)).toEqual(c.kept);
      expect(cut.reachedEnd).toBe(c.reachedEnd);
      expect(cut.pageLast).toBe(c.pageLast);
      expect(cut.next).toEqual(c.next);
    });
  }
});

describe('pageStateRange', () => {
  it('a middle page: (previous last key, own last key]', () => {
    expect(pageStateRange({ page: 2, lastKey: 'b' }, { reachedEnd: false, pageLast: 'd' }, {}, '')).toEqual({
      after: 'b',
      through: 'd',
    });
  });
  it('the first page of a prefix starts at the prefix', () => {
    expect(pageStateRange({ page: 0 }, { reachedEnd: false, pageLast: 'p/d' }, {}, 'p/')).toEqual({
      from: 'p/',
      through: 'p/d',
    });
  });
  it('the first page of a partition starts after its lower bound', () => {
    expect(pageStateRange({ page: 0 }, { reachedEnd: false, pageLast: 'm' }, { after: 'k' }, '')).toEqual({
      after: 'k',
      through: 'm',
    });
  });
  it('the last page of a partition reaches its upper bound', () => {
    expect(
      pageStateRange({ page: 5, lastKey: 'm' }, { reachedEnd: true, pageLast: 'n' }, { before: 'q' }, ''),
    ).toEqual({ after: 'm', before: 'q' });
  });
  it('the last page of a prefix reaches the end of the prefix', () => {
    expect(
      pageStateRange({ page: 5, lastKey: 'p/m' }, { reachedEnd: true, pageLast: 'p/n' }, {}, 'p/'),
    ).toEqual({ after: 'p/m', beforePrefixEnd: 'p/' });
  });
  it('the only page of a whole bucket covers all of it', () => {
    expect(pageStateRange({ page: 0 }, { reachedEnd: true }, {}, '')).toEqual({});
  });
  it('an empty truncated first page has no range yet', () => {
    expect(pageStateRange({ page: 0 }, { reachedEnd: false }, {}, 'p/')).toBeUndefined();
  });
});

describe('scanVerdict', () => {
  const cases: Array<[RunStatus | undefined, number, ScanVerdict]> = [
    ['running', 0, 'go'],
    ['queued', 10, 'go'],
    ['running', 200, 'go'],
    ['running', 201, 'backpressure'],
    ['paused', 0, 'pause'],
    ['paused', 500, 'pause'],
    ['cancelled', 0, 'stop'],
    ['failed', 0, 'stop'],
    ['completed', 500, 'stop'],
    [undefined, 0, 'stop'],
  ];
  for (const [status, waiting, verdict] of cases) {
    it(`${status ?? 'no run'} with ${waiting} sync jobs waiting (max 200): ${verdict}`, () => {
      expect(scanVerdict(status, waiting, 200)).toBe(verdict);
    });
  }
});
