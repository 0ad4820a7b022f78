// Where the official AIWorkspace 2021-02-04 SDK and docs describe the API differently from what the
// emulator used to answer: each case through the real @alicloud/openapi-core client.
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

const versionsPath = (id: string) => `/api/v1/datasets/${id}/versions`;
const statsPath = (id: string) => `/api/v1/statistics/datasets/${id}/datasetfilemetas`;

describe('dataset versions', () => {
  it('CreateDatasetVersion adds v2; Get/ListDatasetVersions answer the SDK DatasetVersion; v2 has its own records', async () => {
    const id = await advancedDataset(client, {
      VersionDescription: 'first cut',
      VersionLabels: [{ Key: 'stage', Value: 'raw' }],
    });
    await client.createMetas(id, WS, [item('v1/a.jpg')]);
    const created = await client.call('CreateDatasetVersion', 'POST', versionsPath(id), {
      body: {
        DataSourceType: 'OSS',
        Property: 'DIRECTORY',
        Uri: 'oss://b.oss-cn-hangzhou.aliyuncs.com/v2/',
        Description: 'cleaned',
        Labels: [{ Key: 'stage', Value: 'clean' }],
        SourceType: 'USER',
        SourceId: 'job-7',
        Options: '{"mountPath":"/mnt/data/"}',
        DataSize: 1234,
      },
    });
    expect(created.body.VersionName).toBe('v2');

    const write = await client.createMetas(id, WS, [item('v2/a.jpg'), item('v2/b.jpg')], 'v2');
    expect(write.body.Status).toBe(true);
    const v2 = await client.call('GetDatasetVersion', 'GET', `${versionsPath(id)}/v2`);
    expect(v2.body).toMatchObject({
      DatasetId: id,
      VersionName: 'v2',
      Description: 'cleaned',
      DataCount: 2,
      DataSize: 1234,
      SourceId: 'job-7',
      Options: '{"mountPath":"/mnt/data/"}',
      Labels: [{ Key: 'stage', Value: 'clean' }],
      Uri: 'oss://b.oss-cn-hangzhou.aliyuncs.com/v2/',
    });
    const v1 = await client.call('GetDatasetVersion', 'GET', `${versionsPath(id)}/v1`);
    expect(v1.body).toMatchObject({ VersionName: 'v1', Description: 'first cut', DataCount: 1 });

    const listed = await client.call('ListDatasetVersions', 'GET', versionsPath(id), {
      query: { PageNumber: 1, PageSize: 10, Order: 'DESC' },
    });
    expect(listed.body.TotalCount).toBe(2);
    expect((listed.body.DatasetVersions as Json[]).map((v) => v.VersionName)).toEqual(['v2', 'v1']);
    const filtered = await client.call('ListDatasetVersions', 'GET', versionsPath(id), {
      query: { LabelValues: 'clean', PageNumber: 1, PageSize: 10 },
    });
    expect((filtered.body.DatasetVersions as Json[]).map((v) => v.VersionName)).toEqual(['v2']);

    const v2Records = await client.call('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v2' },
    });
    expect((v2Records.body.DatasetFileMetas as Json[]).map((r) => r.Uri).sort()).toEqual([
      'oss://b/v2/a.jpg',
      'oss://b/v2/b.jpg',
    ]);
    const latest = await client.call('GetDataset', 'GET', `/api/v1/datasets/${id}`);
    expect((latest.body.LatestVersion as Json).VersionName).toBe('v2');
  });

  it('refuses another DataSourceType, and answers DatasetVersionNotFound for an unknown version', async () => {
    const id = await advancedDataset(client);
    const err = await client.fail('CreateDatasetVersion', 'POST', versionsPath(id), {
      body: { DataSourceType: 'NAS', Property: 'DIRECTORY', Uri: 'nas://fs.cn-hangzhou/x/' },
    });
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidParameter']);
    const missing = await client.fail('GetDatasetVersion', 'GET', `${versionsPath(id)}/v9`);
    expect([missing.statusCode, missing.code]).toEqual([404, 'DatasetVersionNotFound']);
  });
});

describe('CreateDataset and ListDatasets', () => {
  const base = {
    Property: 'DIRECTORY',
    DataSourceType: 'OSS',
    Uri: 'oss://b.oss-cn-hangzhou.aliyuncs.com/p/',
  };

  it('accepts ROLE_PUBLIC with AccessibleRoleIdList and returns every optional field it kept', async () => {
    const res = await client.createDataset({
      ...base,
      Name: 'shared',
      WorkspaceId: 'ws-shape',
      Accessibility: 'ROLE_PUBLIC',
      AccessibleRoleIdList: ['role-a', 'role-b'],
      MountAccessReadWriteRoleIdList: ['role-a'],
      Provider: 'team-x',
      ProviderType: 'Lingjun',
      UserId: '12345',
      SourceDatasetId: 'd-source',
      SourceDatasetVersion: 'v3',
      VersionDescription: 'initial',
      VersionLabels: [{ Key: 'k', Value: 'v' }],
      DataSize: 10,
      DataCount: 2,
    });
    const got = await client.call('GetDataset', 'GET', `/api/v1/datasets/${res.body.DatasetId as string}`);
    expect(got.body).toMatchObject({
      Accessibility: 'ROLE_PUBLIC',
      AccessibleRoleIdList: ['role-a', 'role-b'],
      MountAccessReadWriteRoleIdList: ['role-a'],
      Provider: 'team-x',
      ProviderType: 'Lingjun',
      UserId: '12345',
      SourceDatasetId: 'd-source',
      SourceDatasetVersion: 'v3',
      LatestVersion: {
        VersionName: 'v1',
        Description: 'initial',
        Labels: [{ Key: 'k', Value: 'v' }],
        DataCount: 2,
        DataSize: 10,
      },
    });
    const noRoles = await client.fail('CreateDataset', 'POST', '/api/v1/datasets', {
      body: { ...base, Name: 'x', Accessibility: 'ROLE_PUBLIC' },
    });
    expect([noRoles.statusCode, noRoles.code]).toEqual([400, 'InvalidParameter']);
  });

  it('ListDatasets honours its filters and, without WorkspaceId, lists the default workspace only', async () => {
    const ws = 'ws-filters';
    await client.createDataset({
      ...base,
      Name: 'f-pic',
      WorkspaceId: ws,
      DataType: 'PIC',
      Labels: [{ Key: 'team', Value: 'vision' }],
    });
    await client.createDataset({
      ...base,
      Name: 'f-text',
      WorkspaceId: ws,
      DataType: 'TEXT',
      Property: 'FILE',
      SourceType: 'ITAG',
      SourceId: 'job-1',
    });
    await client.createDataset({
      ...base,
      Name: 'f-nas',
      WorkspaceId: ws,
      DataSourceType: 'NAS',
      Uri: 'nas://fs.cn-hangzhou/d/',
      Provider: 'p1',
      Accessibility: 'PUBLIC',
    });
    await client.createDataset({ ...base, Name: 'f-default' });
    const names = async (query: Json) =>
      ((await client.call('ListDatasets', 'GET', '/api/v1/datasets', { query })).body.Datasets as Json[]).map(
        (d) => d.Name,
      );
    expect(await names({ WorkspaceId: ws, DataTypes: 'PIC,TEXT' })).toEqual(['f-pic', 'f-text']);
    expect(await names({ WorkspaceId: ws, Properties: 'FILE' })).toEqual(['f-text']);
    expect(await names({ WorkspaceId: ws, DataSourceTypes: 'NAS' })).toEqual(['f-nas']);
    expect(await names({ WorkspaceId: ws, SourceTypes: 'ITAG', SourceId: 'job-1' })).toEqual(['f-text']);
    expect(await names({ WorkspaceId: ws, Label: 'visi' })).toEqual(['f-pic']);
    expect(await names({ WorkspaceId: ws, Provider: 'p1', Accessibility: 'PUBLIC' })).toEqual(['f-nas']);
    expect(await names({ WorkspaceId: ws, SortBy: 'Name', Order: 'DESC' })).toEqual([
      'f-text',
      'f-pic',
      'f-nas',
    ]);
    const defaults = await names({});
    expect(defaults).toContain('f-default');
    expect(defaults).not.toContain('f-pic');
    const bad = await client.fail('ListDatasets', 'GET', '/api/v1/datasets', { query: { SortBy: 'Color' } });
    expect(bad.code).toBe('InvalidParameter');
  });
});

describe('file metadata', () => {
  it('accepts times in the documented minute precision as well as with seconds', async () => {
    const id = await advancedDataset(client);
    const res = await client.createMetas(id, WS, [
      item('t/minute.jpg', { FileUpdateTime: '2025-01-12T14:36Z', FileCreateTime: '2025-01-12T14:30Z' }),
    ]);
    expect(res.body.Status).toBe(true);
    const listed = await client.listMetas(id, WS, {
      StartFileUpdateTime: '2025-01-12T14:36Z',
      EndFileUpdateTime: '2025-01-12T14:37Z',
    });
    expect((listed.body.DatasetFileMetas as Json[]).map((r) => r.Uri)).toEqual(['oss://b/t/minute.jpg']);
  });

  it('refuses, per item, a Uri of another storage kind (nas:// in an OSS dataset)', async () => {
    const id = await advancedDataset(client);
    const res = await client.createMetas(id, WS, [
      item('ok.jpg'),
      { ...item('x'), Uri: 'nas://fs.cn-hangzhou/x.jpg' },
    ]);
    expect(res.body.Status).toBe(false);
    expect(res.body.SucceedDetails).toHaveLength(1);
    const failed = res.body.FailedDetails as Json[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ Uri: 'nas://fs.cn-hangzhou/x.jpg' });
    expect(String(failed[0]?.Result)).toMatch(/^InvalidParameter: Uri is not a OSS location/);
  });

  it('list items carry the SDK fields with DownloadUrl and ThumbnailUrl (images), not the fields it drops', async () => {
    const id = await advancedDataset(client);
    await client.createMetas(id, WS, [
      item('dir/cat pic.jpg', { Comment: 'c' }),
      item('dir/notes.txt', { FileType: 'text', ContentType: 'text/plain' }),
    ]);
    const listed = await client.listMetas(id, WS, {
      ThumbnailMode: 'w_100',
      SortBy: 'FileCreateTime',
      Order: 'ASC',
    });
    const [img, txt] = listed.body.DatasetFileMetas as Json[];
    expect(img).toMatchObject({
      Uri: 'oss://b/dir/cat pic.jpg',
      DownloadUrl: 'https://b.oss-cn-hangzhou.aliyuncs.com/dir/cat%20pic.jpg',
      ThumbnailUrl:
        'https://b.oss-cn-hangzhou.aliyuncs.com/dir/cat%20pic.jpg?x-oss-process=image%2Fresize%2Cw_100',
      Status: 'ACTIVE',
    });
    for (const dropped of ['FileDir', 'Comment', 'SyncTime', 'TagUpdateTime'])
      expect(img).not.toHaveProperty(dropped);
    expect(txt?.DownloadUrl).toBe('https://b.oss-cn-hangzhou.aliyuncs.com/dir/notes.txt');
    expect(txt).not.toHaveProperty('ThumbnailUrl');
    expect(img).not.toHaveProperty('Score');
  });

  it('listItemFields "doc" adds the doc example fields', async () => {
    const docEmu = await startPaiEmulator({ listItemFields: 'doc' });
    try {
      const docClient = new PaiTestClient(docEmu.endpoint);
      const id = await advancedDataset(docClient);
      await docClient.createMetas(id, WS, [item('d/a.jpg', { Comment: 'c' })]);
      const [rec] = (await docClient.listMetas(id, WS)).body.DatasetFileMetas as Json[];
      expect(rec).toMatchObject({ FileDir: 'd/', Comment: 'c' });
      expect(rec).toHaveProperty('SyncTime');
    } finally {
      await docEmu.close();
    }
  });

  it('QueryType=TAG with QueryText matches effective tags; user-delete-ai-tags removes ai tags from them', async () => {
    const id = await advancedDataset(client);
    const res = await client.createMetas(id, WS, [
      item('tags/a.jpg', { Tags: JSON.stringify({ ai: ['Sunny day', 'Lane line'] }) }),
      item('tags/b.jpg', { Tags: JSON.stringify({ user: ['sunny beach'] }) }),
      item('tags/c.jpg', { Tags: JSON.stringify({ ai: ['Rain'] }) }),
    ]);
    const ids = (res.body.SucceedDetails as Json[]).map((d) => d.DatasetFileMetaId as string);
    const tagSearch = async (text: string) =>
      (
        (
          await client.listMetas(id, WS, {
            QueryType: 'TAG',
            QueryText: text,
            SortBy: 'FileCreateTime',
            Order: 'ASC',
          })
        ).body.DatasetFileMetas as Json[]
      ).map((r) => r.Uri);
    expect(await tagSearch('sunny')).toEqual(['oss://b/tags/a.jpg', 'oss://b/tags/b.jpg']);
    await client.updateMetas(id, WS, [
      {
        DatasetFileMetaId: ids[0],
        Tags: JSON.stringify({ 'user-delete-ai-tags': { add: ['Sunny day'], remove: [] } }),
      },
    ]);
    expect(await tagSearch('sunny')).toEqual(['oss://b/tags/b.jpg']);
    const expr = await client.listMetas(id, WS, { QueryExpression: "Tags.all='Sunny day'" });
    expect(expr.body.DatasetFileMetas).toEqual([]);
    const stats = await client.call('GetDatasetFileMetasStatistics', 'GET', statsPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', AggregateBy: 'tags.all' },
    });
    expect(stats.body.TotalCount).toBe(3);
    expect(stats.body.DatasetFileMetasStats).toEqual([
      { Key: 'Lane line', Count: 1 },
      { Key: 'Rain', Count: 1 },
      { Key: 'sunny beach', Count: 1 },
    ]);
  });

  it('GetDatasetFileMetasStatistics counts by filedir, most frequent first, at most MaxResults', async () => {
    const id = await advancedDataset(client);
    await client.createMetas(id, WS, [item('a/1.jpg'), item('a/2.jpg'), item('b/1.jpg'), item('root.jpg')]);
    const stats = await client.call('GetDatasetFileMetasStatistics', 'GET', statsPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', AggregateBy: 'FileDir', MaxResults: 2 },
    });
    expect(stats.body).toMatchObject({
      TotalCount: 4,
      DatasetFileMetasStats: [
        { Key: 'a/', Count: 2 },
        { Key: '', Count: 1 },
      ],
    });
    const total = await client.call('GetDatasetFileMetasStatistics', 'GET', statsPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1' },
    });
    expect(total.body).toMatchObject({ TotalCount: 4, DatasetFileMetasStats: [] });
    const bad = await client.fail('GetDatasetFileMetasStatistics', 'GET', statsPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1', AggregateBy: 'colour' },
    });
    expect(bad.code).toBe('InvalidParameter');
  });
});
