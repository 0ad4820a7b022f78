// ListDatasetFileMetas through the real SDK: keyset paging under concurrent writes, ordering, status and
// Query* filters, and every QueryExpression example of the API documentation on a designed dataset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaiEmulator, type PaiEmulator } from '../../../../src/emulators/pai/index.ts';
import { PaiTestClient, WS, advancedDataset, item, metasPath, type Json } from './pai-client.ts';

let emu: PaiEmulator;
let client: PaiTestClient;

beforeAll(async () => {
  emu = await startPaiEmulator();
  client = new PaiTestClient(emu.endpoint);
});
afterAll(() => emu.close());

async function createAll(id: string, items: Json[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += 100) {
    const res = await client.createMetas(id, WS, items.slice(i, i + 100));
    expect(res.body.Status).toBe(true);
    ids.push(...(res.body.SucceedDetails as Json[]).map((s) => s.DatasetFileMetaId as string));
  }
  return ids;
}

const uris = (records: Json[]): string[] => records.map((r) => r.Uri as string);

describe('paging', () => {
  it.each([
    ['creation order', {}],
    ['SortBy FileUpdateTime DESC', { SortBy: 'FileUpdateTime', Order: 'DESC' }],
    ['SortBy FileCreateTime ASC', { SortBy: 'FileCreateTime', Order: 'ASC' }],
  ])(
    '%s: no record present and unchanged throughout is lost or repeated while records are added, moved and deleted between pages',
    async (_name, sort) => {
      const id = await advancedDataset(client);
      const time = (i: number): string => new Date(Date.UTC(2025, 0, 1) + (i % 97) * 3_600_000).toISOString();
      const initial = Array.from({ length: 300 }, (_, i) =>
        item(`p/${i}.jpg`, { FileUpdateTime: time(i), FileCreateTime: time(i * 7) }),
      );
      const ids = await createAll(id, initial);
      const deleted = new Set<string>();
      const changed = new Set<string>();
      const seen: string[] = [];
      let token: string | undefined;
      let page = 0;
      do {
        const res = await client.listMetas(id, WS, {
          MaxResults: 60,
          ...sort,
          ...(token ? { NextToken: token } : {}),
        });
        expect(res.body.MaxResults).toBe(60);
        seen.push(...(res.body.DatasetFileMetas as Json[]).map((r) => r.DatasetFileMetaId as string));
        token = res.body.NextToken as string | undefined;
        // Between pages: delete some records (seen and unseen) and add new ones with times all over the range.
        const victims = [ids[page * 37 + 5], ids[299 - page * 41]].filter(
          (x): x is string => x !== undefined,
        );
        await client.deleteMetas(id, WS, victims);
        for (const v of victims) deleted.add(v);
        // ...and move one record in both time orders (it may then be seen twice or not at all: excluded below).
        const moved = ids[(page * 53 + 11) % 300] as string;
        await client.updateMetas(id, WS, [
          { DatasetFileMetaId: moved, FileUpdateTime: time(page * 29), FileCreateTime: time(page * 31) },
        ]);
        changed.add(moved);
        await createAll(id, [
          item(`new/${page}-a.jpg`, { FileUpdateTime: time(page * 13), FileCreateTime: time(page) }),
          item(`new/${page}-b.jpg`, { FileUpdateTime: time(96 - page) }),
        ]);
        page++;
      } while (token);

      expect(page).toBeGreaterThanOrEqual(5);
      const steady = seen.filter((x) => !changed.has(x));
      expect(new Set(steady).size).toBe(steady.length); // nothing repeated
      const throughout = ids.filter((x) => !deleted.has(x) && !changed.has(x));
      const seenSet = new Set(seen);
      expect(throughout.filter((x) => !seenSet.has(x))).toEqual([]); // nothing lost
    },
  );

  it('answers TotalCount, MaxResults default 10, and no NextToken on the last page', async () => {
    const id = await advancedDataset(client);
    await createAll(
      id,
      Array.from({ length: 12 }, (_, i) => item(`t/${i}`)),
    );
    const first = await client.listMetas(id, WS);
    expect(first.body).toMatchObject({
      TotalCount: 12,
      MaxResults: 10,
      DatasetId: id,
      WorkspaceId: WS,
      DatasetVersion: 'v1',
    });
    expect(first.body.DatasetFileMetas as Json[]).toHaveLength(10);
    const second = await client.listMetas(id, WS, { NextToken: first.body.NextToken as string });
    expect(uris(second.body.DatasetFileMetas as Json[])).toEqual(['oss://b/t/10', 'oss://b/t/11']);
    expect(second.body).not.toHaveProperty('NextToken');
  });

  it('rejects MaxResults outside 1..100, a foreign NextToken and a token of another sort with 400', async () => {
    const id = await advancedDataset(client);
    await createAll(id, [item('a'), item('b')]);
    for (const MaxResults of [0, 101]) {
      const err = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
        query: { WorkspaceId: WS, DatasetVersion: 'v1', MaxResults },
      });
      expect([err.statusCode, err.code]).toEqual([400, 'InvalidParameter']);
      expect(err.message).toContain('MaxResults');
    }
    const junk = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', NextToken: 'garbage' },
    });
    expect(junk.code).toBe('InvalidParameter');
    const page = await client.listMetas(id, WS, { MaxResults: 1 });
    const other = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: {
        WorkspaceId: WS,
        DatasetVersion: 'v1',
        NextToken: page.body.NextToken,
        SortBy: 'FileUpdateTime',
      },
    });
    expect(other.message).toContain('SortBy/Order');
    const missing = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS },
    });
    expect([missing.code, missing.message.includes('DatasetVersion')]).toEqual(['MissingParameter', true]);
  });
  it('keeps an ordered listing exact after records are added and moved (once built, the order is maintained)', async () => {
    const id = await advancedDataset(client);
    const ids = await createAll(id, [
      item('o/a', { FileUpdateTime: '2025-01-01T00:00:00Z' }),
      item('o/b', { FileUpdateTime: '2025-01-02T00:00:00Z' }),
      item('o/c', { FileUpdateTime: '2025-01-03T00:00:00Z' }),
    ]);
    const ordered = async (): Promise<string[]> =>
      uris(await client.listAll(id, WS, { SortBy: 'FileUpdateTime', Order: 'ASC' }));
    expect(await ordered()).toEqual(['oss://b/o/a', 'oss://b/o/b', 'oss://b/o/c']);
    await client.updateMetas(id, WS, [{ DatasetFileMetaId: ids[0], FileUpdateTime: '2025-01-05T00:00:00Z' }]);
    await createAll(id, [item('o/d', { FileUpdateTime: '2025-01-04T00:00:00Z' }), item('o/e')]);
    await client.updateMetas(id, WS, [{ DatasetFileMetaId: ids[2], FileUpdateTime: '2024-12-31T00:00:00Z' }]);
    // o/e carries the default FileUpdateTime of item(): 2025-01-12, the latest.
    expect(await ordered()).toEqual([
      'oss://b/o/c',
      'oss://b/o/b',
      'oss://b/o/d',
      'oss://b/o/a',
      'oss://b/o/e',
    ]);
  });
});

describe('order and filters', () => {
  let id: string;
  let ids: string[];
  let tagTime: number;

  beforeAll(async () => {
    id = await advancedDataset(client);
    ids = await createAll(id, [
      item('cars/Red.jpg', {
        FileUpdateTime: '2025-03-01T00:00:00Z',
        FileCreateTime: '2024-01-03T00:00:00Z',
      }),
      item('cars/blue.png', {
        ContentType: 'image/png',
        FileUpdateTime: '2025-01-01T00:00:00Z',
        FileCreateTime: '2024-01-01T00:00:00Z',
      }),
      item('trucks/big.jpg', {
        FileUpdateTime: '2025-02-01T00:00:00Z',
        FileCreateTime: '2024-01-02T00:00:00Z',
      }),
      item('docs/readme.txt', {
        FileType: 'text',
        ContentType: 'text/plain',
        FileUpdateTime: '2025-04-01T00:00:00Z',
      }),
      item('cars/gone.jpg', { FileUpdateTime: '2025-05-01T00:00:00Z' }),
    ]);
    tagTime = Date.now();
    await client.updateMetas(id, WS, [
      { DatasetFileMetaId: ids[0], Tags: '{"user":["red","car"]}' },
      { DatasetFileMetaId: ids[2], Tags: '{"user":["truck"],"ai":["car"]}' },
    ]);
    await client.deleteMetas(id, WS, [ids[4] as string]);
  });

  const list = async (query: Json): Promise<string[]> => uris(await client.listAll(id, WS, query));

  it('orders by creation without SortBy, and by FileUpdateTime / FileCreateTime with Order (default DESC)', async () => {
    expect(await list({})).toEqual([
      'oss://b/cars/Red.jpg',
      'oss://b/cars/blue.png',
      'oss://b/trucks/big.jpg',
      'oss://b/docs/readme.txt',
    ]);
    expect(await list({ Order: 'DESC' })).toEqual([
      'oss://b/docs/readme.txt',
      'oss://b/trucks/big.jpg',
      'oss://b/cars/blue.png',
      'oss://b/cars/Red.jpg',
    ]);
    expect(await list({ SortBy: 'FileUpdateTime', Order: 'ASC' })).toEqual([
      'oss://b/cars/blue.png',
      'oss://b/trucks/big.jpg',
      'oss://b/cars/Red.jpg',
      'oss://b/docs/readme.txt',
    ]);
    expect(await list({ SortBy: 'FileUpdateTime' })).toEqual([
      'oss://b/docs/readme.txt',
      'oss://b/cars/Red.jpg',
      'oss://b/trucks/big.jpg',
      'oss://b/cars/blue.png',
    ]);
    // readme has no FileCreateTime: missing values sort first in ASC.
    expect(await list({ SortBy: 'FileCreateTime', Order: 'ASC', MaxResults: 1 })).toEqual([
      'oss://b/docs/readme.txt',
      'oss://b/cars/blue.png',
      'oss://b/trucks/big.jpg',
      'oss://b/cars/Red.jpg',
    ]);
    const bad = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', SortBy: 'DataSize' },
    });
    expect(bad.code).toBe('InvalidParameter');
  });

  it('filters by Status (ACTIVE default, DELETED, ALL) with matching TotalCount', async () => {
    const deleted = await client.listMetas(id, WS, { Status: 'DELETED' });
    expect(uris(deleted.body.DatasetFileMetas as Json[])).toEqual(['oss://b/cars/gone.jpg']);
    expect(deleted.body.TotalCount).toBe(1);
    const all = await client.listMetas(id, WS, { Status: 'ALL' });
    expect(all.body.TotalCount).toBe(5);
    expect((await client.listMetas(id, WS)).body.TotalCount).toBe(4);
    expect(
      (
        await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
          query: { WorkspaceId: WS, DatasetVersion: 'v1', Status: 'GONE' },
        })
      ).code,
    ).toBe('InvalidParameter');
  });

  it.each<[string, Json, string[]]>([
    [
      'QueryFileName (case-insensitive substring)',
      { QueryFileName: 'RE' },
      ['oss://b/cars/Red.jpg', 'oss://b/docs/readme.txt'],
    ],
    ['QueryFileDir (substring)', { QueryFileDir: 'car' }, ['oss://b/cars/Red.jpg', 'oss://b/cars/blue.png']],
    ['QueryFileTypeIncludeAny', { QueryFileTypeIncludeAny: 'text,video' }, ['oss://b/docs/readme.txt']],
    [
      'QueryContentTypeIncludeAny',
      { QueryContentTypeIncludeAny: 'image/png,text/plain' },
      ['oss://b/cars/blue.png', 'oss://b/docs/readme.txt'],
    ],
    [
      'Start/EndFileUpdateTime (inclusive)',
      { StartFileUpdateTime: '2025-02-01T00:00:00.000Z', EndFileUpdateTime: '2025-03-01T00:00:00Z' },
      ['oss://b/cars/Red.jpg', 'oss://b/trucks/big.jpg'],
    ],
    [
      'QueryTagsIncludeAny',
      { QueryTagsIncludeAny: 'truck,red' },
      ['oss://b/cars/Red.jpg', 'oss://b/trucks/big.jpg'],
    ],
    ['QueryTagsIncludeAll', { QueryTagsIncludeAll: 'red,car' }, ['oss://b/cars/Red.jpg']],
    ['QueryTagsExclude', { QueryTagsExclude: 'car' }, ['oss://b/cars/blue.png', 'oss://b/docs/readme.txt']],
    [
      'filters combine with AND',
      { QueryFileDir: 'cars', QueryContentTypeIncludeAny: 'image/jpeg' },
      ['oss://b/cars/Red.jpg'],
    ],
  ])('%s', async (_name, query, expected) => {
    const res = await client.listMetas(id, WS, { MaxResults: 100, ...query });
    expect(uris(res.body.DatasetFileMetas as Json[])).toEqual(expected);
    expect(res.body.TotalCount).toBe(expected.length);
  });

  it('filters by DatasetFileMetaIds and by Start/EndTagUpdateTime', async () => {
    expect(await list({ DatasetFileMetaIds: `${ids[1]},${ids[3]},${ids[4]}` })).toEqual([
      'oss://b/cars/blue.png',
      'oss://b/docs/readme.txt',
    ]);
    const since = new Date(tagTime - 60_000).toISOString();
    expect(await list({ StartTagUpdateTime: since })).toEqual([
      'oss://b/cars/Red.jpg',
      'oss://b/trucks/big.jpg',
    ]);
    expect(await list({ EndTagUpdateTime: since })).toEqual([]);
    const bad = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', StartTagUpdateTime: 'soon' },
    });
    expect(bad.code).toBe('InvalidParameter');
  });
});

describe('QueryExpression', () => {
  let id: string;
  const sij = { SemanticIndexJobId: 'dsjob-1' };
  const img = (key: string, t: string, size: number, extra: Json = {}): Json =>
    item(key, { FileUpdateTime: t, DataSize: size, ...extra });

  beforeAll(async () => {
    id = await advancedDataset(client);
    await createAll(id, [
      img('blue_car/toyota.jpg', '2025-03-01T00:00:00Z', 100, { ...sij, Tags: '{"user":["rainy days"]}' }),
      img('blue_car/honda.jpg', '2025-04-01T00:00:00Z', 20000, {
        ...sij,
        Tags: '{"ai":["lane line","barrier gate","water horse"],"user":["rainy days"]}',
      }),
      img('blue_car/bmw.jpg', '2025-04-02T00:00:00Z', 500, {
        ...sij,
        Tags: '{"ai":["fallen tree"],"user":["sunny"]}',
      }),
      img('blue_car/audi.jpg', '2025-04-03T00:00:00Z', 600, { ...sij, Tags: '{"user":["rainy days"]}' }),
      img('blue_car/old.jpg', '2025-01-01T00:00:00Z', 700, sij),
      img('blue_car/nojob.jpg', '2025-04-05T00:00:00Z', 800, { Tags: '{"ai":["water horse"]}' }),
      img('roads/lane-line_01.png', '2025-01-10T00:00:00Z', 12345, { ContentType: 'image/png' }),
      img('pets/black cat.jpg', '2025-02-01T00:00:00Z', 30000),
      img('pets/white dog.png', '2025-01-20T00:00:00Z', 5000, { ContentType: 'image/png' }),
      img('pets/white.jpg', '2025-01-05T00:00:00Z', 10),
      img('videos/clip.mp4', '2025-01-16T11:52:56.000Z', 99999, {
        FileType: 'video',
        ContentType: 'video/mp4',
      }),
      img('docs/notes.txt', '2025-01-01T00:00:00Z', 12345, { FileType: 'text', ContentType: 'text/plain' }),
    ]);
  });

  const ALL = [
    'toyota.jpg',
    'honda.jpg',
    'bmw.jpg',
    'audi.jpg',
    'old.jpg',
    'nojob.jpg',
    'lane-line_01.png',
    'black cat.jpg',
    'white dog.png',
    'white.jpg',
    'clip.mp4',
    'notes.txt',
  ];
  const except = (...names: string[]): string[] => ALL.filter((n) => !names.includes(n));
  const names = async (expr: string, extra: Json = {}): Promise<string[]> =>
    (await client.listAll(id, WS, { QueryExpression: expr, ...extra })).map((r) => r.FileName as string);

  it.each<[string, string[]]>([
    [
      `(FileUpdateTime > '2025-02-28T00:00:00Z' AND FileUpdateTime < '2025-05-30T09:27:29Z') AND FileDir:'blue_car' AND NOT FileName="toyota.jpg" AND (( Tags.all='lane line' AND Tags.all='barrier gate') OR NOT Tags.user='rainy days' ) AND HAS SemanticIndexJobId AND Content:'a fallen water horse' AND TopK=100 AND SignMode='PUBLIC'`,
      ['honda.jpg', 'bmw.jpg'],
    ],
    [
      `(FileUpdateTime > '2025-02-28T00:00:00Z' AND FileUpdateTime < '2025-05-30T09:27:29Z') AND FileDir:'blue_car' AND NOT FileName="toyota.jpg" AND HAS SemanticIndexJobId`,
      ['honda.jpg', 'bmw.jpg', 'audi.jpg'],
    ],
    [`FileName:'lane line'`, ['lane-line_01.png']],
    [`NOT FileName : 'lane line'`, except('lane-line_01.png')],
    [`FileType='image'`, except('clip.mp4', 'notes.txt')],
    [`NOT FileType = 'video'`, except('clip.mp4')],
    [`HAS SemanticIndexJobId`, ['toyota.jpg', 'honda.jpg', 'bmw.jpg', 'audi.jpg', 'old.jpg']],
    [`NOT HAS SemanticIndexJobId`, except('toyota.jpg', 'honda.jpg', 'bmw.jpg', 'audi.jpg', 'old.jpg')],
    [
      `(FileName:'black' AND ContentType='image/jpeg') OR (FileName:'white' AND ContentType='image/png')`,
      ['black cat.jpg', 'white dog.png'],
    ],
    [`FileUpdateTime> '2025-01-16T11:52:56.000Z' AND DataSize >= 12345`, ['honda.jpg', 'black cat.jpg']],
    [
      `FileUpdateTime < '2025-01-16T11:52:56.000Z' AND DataSize <= 12345`,
      ['old.jpg', 'lane-line_01.png', 'white.jpg', 'notes.txt'],
    ],
    [`FileType='image' OR FileType='video'`, except('notes.txt')],
  ])('%s', async (expr, expected) => {
    expect(await names(expr)).toEqual(expected);
  });

  it("rejects the documentation's own `ContentType:'image/png'` (its property table forbids ':' on a KEYWORD)", async () => {
    const err = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: {
        WorkspaceId: WS,
        DatasetVersion: 'v1',
        QueryExpression: `FileType='image' AND ContentType:'image/png'`,
      },
    });
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidParameter']);
  });

  it('applies MaxResults, SortBy, Order and Status given inside the expression', async () => {
    const res = await client.listMetas(id, WS, {
      QueryExpression: `FileType='image' AND MaxResults=2 AND SortBy='FileUpdateTime' AND Order='ASC'`,
    });
    expect((res.body.DatasetFileMetas as Json[]).map((r) => r.FileName)).toEqual(['old.jpg', 'white.jpg']);
    expect(res.body.MaxResults).toBe(2);
    expect(res.body.TotalCount).toBe(10);
    const token = res.body.NextToken as string;
    const next = await client.listMetas(id, WS, {
      QueryExpression: `FileType='image' AND MaxResults=2 AND SortBy='FileUpdateTime' AND Order='ASC' AND NextToken='${token}'`,
    });
    expect((next.body.DatasetFileMetas as Json[]).map((r) => r.FileName)).toEqual([
      'lane-line_01.png',
      'white dog.png',
    ]);
    expect(await names(`Status='DELETED'`)).toEqual([]);
  });

  it('answers a malformed expression with 400 InvalidParameter naming the position', async () => {
    const err = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', QueryExpression: `FileName:'x' AND (` },
    });
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidParameter']);
    expect(err.message).toMatch(/position \d+/);
  });

  it('answers a deeply nested expression with 400 InvalidParameter, not a stack overflow', async () => {
    for (const expr of [
      `${'('.repeat(1000)}FileName:'x'${')'.repeat(1000)}`,
      `${'NOT '.repeat(1000)}FileName:'x'`,
    ]) {
      const err = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
        query: { WorkspaceId: WS, DatasetVersion: 'v1', QueryExpression: expr },
      });
      expect([err.statusCode, err.code]).toEqual([400, 'InvalidParameter']);
      expect(err.message).toMatch(/deeper than 64 levels/);
    }
    // 64 levels are fine.
    const ok = await client.call('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: {
        WorkspaceId: WS,
        DatasetVersion: 'v1',
        QueryExpression: `${'('.repeat(64)}FileName:'x'${')'.repeat(64)}`,
      },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('answers a URL past the size limit with a JSON error the SDK reads (431), not an empty body', async () => {
    const err = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', QueryExpression: `FileName:'${'x'.repeat(20_000)}'` },
    });
    expect([err.statusCode, err.code]).toEqual([431, 'RequestHeaderFieldsTooLarge']);
    expect(err.message).toMatch(/exceed the size limit/);
    expect(err.message).not.toMatch(/Unexpected end of JSON/);
  });
});
