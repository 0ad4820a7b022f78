// The index path of ListDatasetFileMetas (exact FileName/FileDir lookups) against the scan path on the same
// stores: every page (records, order, NextToken or not), TotalCount, status filters and sorts must be the
// same, with deletes, FileName/FileDir changes and duplicate Uris between and during the pages, and keys
// with spaces, +, %, #, ?, quotes, backslashes, newlines and non-ASCII text.
import { describe, expect, it } from 'vitest';
import { compileQueryExpression } from '../../../../src/emulators/pai/dsl/index.ts';
import { indexedPage, scanPage, type ListPage } from '../../../../src/emulators/pai/list-page.ts';
import { parseListQuery, positionOf, type ListQuery } from '../../../../src/emulators/pai/list-query.ts';
import { encodeNextToken } from '../../../../src/emulators/pai/list-cursor.ts';
import { VersionRecords, type NewRecord } from '../../../../src/emulators/pai/version-records.ts';
import { lookupExpressions } from '../../../../src/sinks/pai/lookup.ts';

const ODD_KEYS = [
  'plain/a.jpg',
  'plain/b.jpg',
  'plain/c d.jpg',
  'other/a.jpg',
  'root.txt',
  'a.jpg',
  'sp ace/with space.txt',
  'plus+dir/a+b.txt',
  'pct%20/%41%2F.txt',
  'hash#/#frag#.txt',
  'q?/what?.txt',
  'nl\ndir/line\nbreak.txt',
  'quo"te/"a\\b".txt',
  'ü 日本/🎉.png',
  '日本/写真 001.jpg',
  'deep/er/still/x.bin',
  'folder/',
  '123',
];

function record(key: string, i: number, extra: Partial<NewRecord> = {}): NewRecord {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  return {
    Uri: `oss://bucket/${key}`,
    FileDir: key.slice(0, slash + 1),
    ...(name === '' ? {} : { FileName: name }),
    FileType: i % 3 === 0 ? 'image' : 'text',
    ContentType: 'application/octet-stream',
    FileFingerPrint: `fp${i}`,
    DataSize: i % 7,
    // Repeated times (ties broken by seq) and a few missing create times (sorted first).
    ...(i % 5 === 4
      ? {}
      : { FileCreateTime: new Date(Date.UTC(2025, 0, 1) + (i % 4) * 60_000).toISOString() }),
    FileUpdateTime: new Date(Date.UTC(2025, 0, 1) + i * 1000 - (i % 3) * 5_000).toISOString(),
    SyncTime: '2026-12-02T04:00:00Z',
    Status: 'ACTIVE',
    ...extra,
  };
}

/** Every page from the start, each path following its own NextToken; with `between` run after each page. */
function allPages(
  records: VersionRecords,
  query: Record<string, string>,
  path: (r: VersionRecords, q: ListQuery) => ListPage,
  between: (page: number) => void = () => {},
): Array<{ seqs: number[]; total: number; token: string | undefined }> {
  const out: Array<{ seqs: number[]; total: number; token: string | undefined }> = [];
  let token: string | undefined;
  do {
    const q = parseListQuery(token === undefined ? query : { ...query, NextToken: token });
    const { page, more, total } = path(records, q);
    const last = page[page.length - 1];
    token = more && last ? encodeNextToken(q.sortBy, q.desc, positionOf(q, last)) : undefined;
    // Seqs, not ids: the same seqs of two stores built alike have different ids.
    out.push({ seqs: page.map((s) => s.seq), total, token });
    between(out.length);
  } while (token !== undefined && out.length < 1000);
  return out;
}

function expectSame(records: VersionRecords, query: Record<string, string>): void {
  const q = parseListQuery(query);
  expect(q.keys, `indexable: ${query.QueryExpression}`).toBeDefined();
  expect(allPages(records, query, indexedPage)).toEqual(allPages(records, query, scanPage));
}

function store(): VersionRecords {
  const r = new VersionRecords();
  ODD_KEYS.forEach((k, i) => r.add(record(k, i)));
  // Duplicate Uris (a PAI accepting them): three records for plain/a.jpg, two for root.txt.
  r.add(record('plain/a.jpg', 100));
  r.add(record('plain/a.jpg', 101));
  r.add(record('root.txt', 102));
  // Restored records whose FileName/FileDir are not the Uri's.
  r.add(record('restored/x.jpg', 103, { FileName: 'a.jpg', FileDir: 'plain/' }));
  r.add(record('restored/y.jpg', 104, { FileName: 'b.jpg' }));
  // Filler: names shared across dirs, dirs shared across names.
  for (let i = 0; i < 60; i++) r.add(record(`fill/${i % 7}/n${i % 11}.dat`, 200 + i));
  const del = (key: string, nth = 0) => {
    const seqs = [...r.records()].filter((s) => s.rec.Uri === `oss://bucket/${key}`);
    r.softDelete(seqs[nth]!);
  };
  del('plain/a.jpg', 1);
  del('other/a.jpg');
  del('fill/3/n3.dat');
  return r;
}

const HAND_WRITTEN = [
  "FileName='a.jpg'",
  "FileName='a.jpg' OR FileName='b.jpg' OR FileName='nope'",
  "FileDir='plain/' AND FileName='a.jpg'",
  "FileDir='plain/' AND (FileName='a.jpg' OR FileName='b.jpg' OR FileName='c d.jpg')",
  "(FileDir='plain/' OR FileDir='other/') AND (FileName='a.jpg' OR FileName='a.jpg')",
  "FileName='a.jpg' AND FileName='b.jpg'",
  "FileName='a.jpg' AND NOT FileDir='plain/'",
  "FileName='a.jpg' AND DataSize >= 1 AND FileType='text'",
  "FileName='a.jpg' AND Status='DELETED'",
  "FileName='a.jpg' AND Status='ACTIVE' AND MaxResults=1",
  "FileName='a.jpg' AND SortBy='FileCreateTime' AND Order='ASC' AND MaxResults=2",
  "FileName='a.jpg' AND SortBy='FileUpdateTime' AND MaxResults=1",
  "FileName=123 OR FileName='root.txt'",
  "FileName=''",
  "FileDir='folder/' AND FileName=''",
  "FileDir='' AND FileName='root.txt'",
  "FileName='A.JPG'",
  "FileName:'a' AND FileName='a.jpg'",
  ...[0, 1, 2, 3, 4, 5, 6].map(
    (i) => `FileDir='fill/${i}/' AND (FileName='n${i}.dat' OR FileName='n${i + 17}.dat')`,
  ),
];

const QUERY_VARIANTS: Array<Record<string, string>> = [
  {},
  { MaxResults: '1' },
  { MaxResults: '2', Status: 'ALL' },
  { MaxResults: '1', Status: 'DELETED' },
  { MaxResults: '2', SortBy: 'FileCreateTime' },
  { MaxResults: '1', SortBy: 'FileCreateTime', Order: 'ASC', Status: 'ALL' },
  { MaxResults: '3', SortBy: 'FileUpdateTime', Order: 'ASC' },
  { MaxResults: '1', Order: 'DESC', Status: 'ALL' },
  { MaxResults: '2', QueryFileDir: 'PLAIN' },
];

const base = { WorkspaceId: 'w', DatasetVersion: 'v1' };

describe('ListDatasetFileMetas: index path = scan path', () => {
  it('the sink lookup expressions are answered from the index (odd keys, root keys)', () => {
    for (const expr of lookupExpressions(ODD_KEYS)) expect(compileQueryExpression(expr).keys).toBeDefined();
  });

  it('non-exact expressions keep the scan', () => {
    for (const expr of [
      "FileDir='plain/'",
      "FileName='a.jpg' OR FileType='image'",
      "NOT FileName='a.jpg'",
      "FileName:'a'",
      "NOT NOT FileName='a.jpg'",
    ])
      expect(parseListQuery({ ...base, QueryExpression: expr }).keys, expr).toBeUndefined();
  });

  it.each(QUERY_VARIANTS.map((v) => [JSON.stringify(v), v]))(
    'hand-written expressions, query %s',
    (_name, variant) => {
      const r = store();
      for (const expr of HAND_WRITTEN) expectSame(r, { ...base, ...variant, QueryExpression: expr });
    },
  );

  it.each(QUERY_VARIANTS.map((v) => [JSON.stringify(v), v]))(
    'the sink lookups of every key, query %s',
    (_name, variant) => {
      const r = store();
      const keys = [...ODD_KEYS, 'restored/x.jpg', 'missing/none.jpg', 'fill/2/n2.dat', 'fill/5/n5.dat'];
      for (const expr of lookupExpressions(keys))
        expectSame(r, { ...base, ...variant, QueryExpression: expr });
    },
  );

  it('stays equal after updates that move records between names and dirs, with the index already built', () => {
    const r = store();
    const queries = [
      ...lookupExpressions([...ODD_KEYS, 'renamed/z.jpg', 'fill/1/n1.dat']),
      "FileName='a.jpg' OR FileName='renamed.jpg'",
      "FileDir='moved/' AND FileName='a.jpg'",
    ].map((QueryExpression) => ({ ...base, MaxResults: '2', Status: 'ALL', QueryExpression }));
    for (const query of queries) expectSame(r, query); // builds the index
    const all = [...r.records()];
    r.update(all[0]!, { FileName: 'renamed.jpg' }); // plain/a.jpg leaves 'a.jpg'
    r.update(all[1]!, { FileName: 'a.jpg' }); // plain/b.jpg becomes a second 'plain/' + 'a.jpg'
    r.update(all[3]!, { FileDir: 'moved/' }); // other/a.jpg moves dir
    r.update(all[2]!, { FileName: 'c d.jpg', FileFingerPrint: 'new' }); // same key: stays put
    r.update(all[4]!, { FileName: 'z.jpg', FileDir: 'renamed/' });
    r.add(record('plain/a.jpg', 900));
    r.add(record('renamed/z.jpg', 901));
    r.softDelete(all[5]!);
    for (const query of queries) expectSame(r, query);
  });

  it('resumes alike when records are added, renamed and deleted between pages', () => {
    const mutate = (r: VersionRecords) => (page: number) => {
      const all = [...r.records()];
      if (page === 1) r.add(record('plain/a.jpg', 500 + page));
      if (page === 2) r.softDelete(all[0]!);
      if (page === 3) r.update(all[1]!, { FileName: 'a.jpg' });
      if (page === 4) r.update(all[all.length - 1]!, { FileName: 'gone.jpg' });
    };
    for (const variant of QUERY_VARIANTS) {
      const query = {
        ...base,
        ...variant,
        MaxResults: '1',
        QueryExpression: "FileDir='plain/' AND (FileName='a.jpg' OR FileName='b.jpg')",
      };
      const a = store();
      const b = store();
      // Same operations on two stores with the same contents; the scan store is the reference.
      expect(allPages(a, query, indexedPage, mutate(a))).toEqual(allPages(b, query, scanPage, mutate(b)));
    }
  });

  it('random stores, operations and lookups (seeded)', () => {
    let x = 0x2545f491;
    const rand = (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const dirs = ['', 'd/', 'd/e/', 'sp ace/', 'ü/', 'nl\n/'];
    const names = ['a', 'b', 'a b', 'a+b', '%2F', '#', '?', '日本', 'x\ny'];
    const key = () => `${dirs[rand(dirs.length)]!}${names[rand(names.length)]!}`;
    for (let round = 0; round < 30; round++) {
      const r = new VersionRecords();
      const n = 1 + rand(120);
      for (let i = 0; i < n; i++) {
        r.add(record(key(), i));
        // Build the index at a random point so both the full build and the upkeep are exercised.
        if (rand(n) === 0) r.seqsWithKeys(['a'], undefined);
        if (rand(10) === 0) r.softDelete(r.at(rand(r.size)));
        if (rand(10) === 0) r.update(r.at(rand(r.size)), { FileName: names[rand(names.length)]! });
        if (rand(20) === 0) r.update(r.at(rand(r.size)), { FileDir: dirs[rand(dirs.length)]! });
      }
      const keys = Array.from({ length: 1 + rand(12) }, key);
      const variant = QUERY_VARIANTS[rand(QUERY_VARIANTS.length)]!;
      for (const expr of lookupExpressions(keys))
        expectSame(r, { ...base, ...variant, QueryExpression: expr });
    }
  });
});
