// SimpleQuery through the real client: every operator, SubQueries, Sort/Order, paging with NextToken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImmEmulator, type ImmEmulator } from '../../../../src/emulators/imm/index.ts';
import { D, ImmTestClient, P, type Json } from './imm-client.ts';

let emu: ImmEmulator;
let c: ImmTestClient;
const sizes: Record<string, number> = {
  'a/1.jpg': 10,
  'a/2.png': 20,
  'b/3.mp4': 30,
  'b/4.txt': 40,
  'c/5.jpg': 50,
};

beforeAll(async () => {
  emu = await startImmEmulator({
    projects: [P],
    objectSource: {
      headObject: (_b, key) =>
        sizes[key] === undefined
          ? undefined
          : {
              size: sizes[key],
              etag: `"${key}"`,
              lastModified: new Date(Date.UTC(2025, 0, sizes[key] / 10)),
              contentType: 'x/y',
            },
    },
  });
  c = new ImmTestClient(emu.endpoint);
  await c.call('CreateDataset', { ProjectName: P, DatasetName: D });
  await c.call('BatchIndexFileMeta', {
    ProjectName: P,
    DatasetName: D,
    Files: Object.keys(sizes).map((k) => ({
      URI: `oss://bkt/${k}`,
      CustomLabels: { group: k[0] },
      Title: `Title of ${k}`,
    })),
  });
  await emu.idle();
});
afterAll(() => emu.close());

async function keys(query: Json | undefined, extra: Json = {}): Promise<string[]> {
  const res = await c.call('SimpleQuery', {
    ProjectName: P,
    DatasetName: D,
    ...(query ? { Query: query } : {}),
    ...extra,
  });
  return (res.body.Files as Json[]).map((f) => String(f.URI).slice('oss://bkt/'.length));
}

describe('SimpleQuery', () => {
  it.each([
    ['no query', undefined, ['a/1.jpg', 'a/2.png', 'b/3.mp4', 'b/4.txt', 'c/5.jpg']],
    ['eq', { Field: 'Size', Operation: 'eq', Value: '20' }, ['a/2.png']],
    ['gt', { Field: 'Size', Operation: 'gt', Value: '30' }, ['b/4.txt', 'c/5.jpg']],
    ['gte', { Field: 'Size', Operation: 'gte', Value: '30' }, ['b/3.mp4', 'b/4.txt', 'c/5.jpg']],
    ['lt', { Field: 'Size', Operation: 'lt', Value: '20' }, ['a/1.jpg']],
    ['lte', { Field: 'Size', Operation: 'lte', Value: '20' }, ['a/1.jpg', 'a/2.png']],
    ['prefix', { Field: 'URI', Operation: 'prefix', Value: 'oss://bkt/b/' }, ['b/3.mp4', 'b/4.txt']],
    ['match', { Field: 'Title', Operation: 'match', Value: 'OF C/' }, ['c/5.jpg']],
    ['custom label', { Field: 'CustomLabels.group', Operation: 'eq', Value: 'a' }, ['a/1.jpg', 'a/2.png']],
    [
      'time',
      { Field: 'FileModifiedTime', Operation: 'gte', Value: '2025-01-04T00:00:00Z' },
      ['b/4.txt', 'c/5.jpg'],
    ],
    [
      'and',
      {
        Operation: 'and',
        SubQueries: [
          { Field: 'URI', Operation: 'prefix', Value: 'oss://bkt/a/' },
          { Field: 'Size', Operation: 'gt', Value: '10' },
        ],
      },
      ['a/2.png'],
    ],
    [
      'or',
      {
        Operation: 'or',
        SubQueries: [
          { Field: 'Size', Operation: 'eq', Value: '10' },
          { Field: 'Size', Operation: 'eq', Value: '50' },
        ],
      },
      ['a/1.jpg', 'c/5.jpg'],
    ],
    [
      'not',
      { Operation: 'not', SubQueries: [{ Field: 'CustomLabels.group', Operation: 'eq', Value: 'b' }] },
      ['a/1.jpg', 'a/2.png', 'c/5.jpg'],
    ],
  ])('%s', async (_name, query, want) => {
    expect(await keys(query as Json | undefined)).toEqual(want);
  });

  it('sorts by Size descending by default and pages with NextToken; TotalHits unless WithoutTotalHits', async () => {
    const first = await c.call('SimpleQuery', {
      ProjectName: P,
      DatasetName: D,
      Sort: 'Size',
      MaxResults: 2,
    });
    expect((first.body.Files as Json[]).map((f) => f.Size)).toEqual([50, 40]);
    expect(first.body.TotalHits).toBe(5);
    const second = await c.call('SimpleQuery', {
      ProjectName: P,
      DatasetName: D,
      Sort: 'Size',
      Order: 'asc',
      MaxResults: 2,
      NextToken: first.body.NextToken,
    });
    // A token of a desc listing used with asc resumes at the same offset of the new order.
    expect((second.body.Files as Json[]).map((f) => f.Size)).toEqual([30, 40]);
    const noHits = await c.call('SimpleQuery', { ProjectName: P, DatasetName: D, WithoutTotalHits: true });
    expect(noHits.body).not.toHaveProperty('TotalHits');
  });

  it('pages in URI order with NextToken to the end (empty NextToken) and honours WithFields', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await c.call('SimpleQuery', {
        ProjectName: P,
        DatasetName: D,
        MaxResults: 2,
        WithFields: ['URI', 'Size'],
        ...(token ? { NextToken: token } : {}),
      });
      for (const f of res.body.Files as Json[]) {
        expect(Object.keys(f).sort()).toEqual(['Size', 'URI']);
        seen.push(String(f.URI));
      }
      token = (res.body.NextToken as string) || undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    const token0 = Buffer.from(`1000000000000000:${P}:${D}:oss://bkt/b/3.mp4`).toString('base64');
    expect(await keys(undefined, { NextToken: token0 })).toEqual(['b/4.txt', 'c/5.jpg']);
  });

  it('aggregates count and sum', async () => {
    const res = await c.call('SimpleQuery', {
      ProjectName: P,
      DatasetName: D,
      Aggregations: [
        { Field: 'Size', Operation: 'sum' },
        { Field: 'URI', Operation: 'count' },
      ],
    });
    expect(res.body.Aggregations).toEqual([
      { Field: 'Size', Operation: 'sum', Value: 150 },
      { Field: 'URI', Operation: 'count', Value: 5 },
    ]);
  });

  it.each([
    ['MaxResults 101', { MaxResults: 101 }, /MaxResults/],
    ['MaxResults -1', { MaxResults: -1 }, /MaxResults/],
    ['unknown operator', { Query: { Field: 'Size', Operation: 'near', Value: '1' } }, /Operation "near"/],
    ['unknown field', { Query: { Field: 'Colour', Operation: 'eq', Value: '1' } }, /Colour/],
    ['and without SubQueries', { Query: { Operation: 'and' } }, /SubQueries/],
    ['number field with text', { Query: { Field: 'Size', Operation: 'gt', Value: 'big' } }, /number/],
    ['bad token', { NextToken: 'bm9wZQ==' }, /NextToken/],
    ['Query not JSON', { Query: '{' }, /Query/],
  ])('refuses %s with InvalidArgument', async (_name, extra, message) => {
    const err = await c.fail('SimpleQuery', { ProjectName: P, DatasetName: D, ...extra });
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidArgument']);
    expect(err.message).toMatch(message);
  });
});
