import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaiEmulator, type PaiEmulator } from '../../../../src/emulators/pai/index.ts';
import { PaiTestClient, WS, advancedDataset, item, metasPath } from './pai-client.ts';

let emu: PaiEmulator;
let client: PaiTestClient;

beforeAll(async () => {
  emu = await startPaiEmulator();
  client = new PaiTestClient(emu.endpoint);
});
afterAll(() => emu.close());

const base = {
  Name: 'ds',
  Property: 'DIRECTORY',
  DataSourceType: 'OSS',
  Uri: 'oss://b.oss-cn-hangzhou.aliyuncs.com/p/',
};

describe('CreateDataset / GetDataset / ListDatasets', () => {
  it('creates a BASIC dataset by default with version v1 and answers it in GetDataset', async () => {
    const res = await client.createDataset({ ...base, Name: '数据集_1-a', WorkspaceId: WS });
    expect(res.statusCode).toBe(200);
    const id = res.body.DatasetId as string;
    expect(id).toMatch(/^d-[a-z0-9]{18}$/);
    const got = await client.call('GetDataset', 'GET', `/api/v1/datasets/${id}`);
    expect(got.body).toMatchObject({
      DatasetId: id,
      Name: '数据集_1-a',
      WorkspaceId: WS,
      Edition: 'BASIC',
      Property: 'DIRECTORY',
      DataSourceType: 'OSS',
      LatestVersion: { VersionName: 'v1', DataCount: 0 },
    });
    expect(emu.store.getDataset(id)).toEqual({
      DatasetId: id,
      Name: '数据集_1-a',
      WorkspaceId: WS,
      Edition: 'BASIC',
      Uri: base.Uri,
    });
  });

  it.each([
    [{ Name: undefined }, 'MissingParameter', 'Name'],
    [{ Name: '_starts-with-underscore' }, 'InvalidParameter', 'Name'],
    [{ Name: 'x'.repeat(128) }, 'InvalidParameter', 'Name'],
    [{ Name: 'has space' }, 'InvalidParameter', 'Name'],
    [{ Property: 'TABLE' }, 'InvalidParameter', 'Property'],
    [{ Property: undefined }, 'MissingParameter', 'Property'],
    [{ DataSourceType: 'FTP' }, 'InvalidParameter', 'DataSourceType'],
    [{ Uri: undefined }, 'MissingParameter', 'Uri'],
    [{ Uri: 'http://example.com/x' }, 'InvalidParameter', 'Uri'],
    [{ Edition: 'PREMIUM' }, 'InvalidParameter', 'Edition'],
    [
      { Edition: 'ADVANCED', DataSourceType: 'NAS', Uri: 'nas://abc.cn-hangzhou/' },
      'InvalidParameter',
      'OSS',
    ],
  ])('rejects %j with 400 %s', async (patch, code, mention) => {
    const body: Record<string, unknown> = { ...base, ...patch };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const err = await client.fail('CreateDataset', 'POST', '/api/v1/datasets', { body });
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe(code);
    expect(err.message).toContain(mention);
  });

  it('accepts a 127-character name and LOGICAL edition on OSS', async () => {
    const res = await client.createDataset({ ...base, Name: `a${'b'.repeat(126)}`, Edition: 'LOGICAL' });
    expect(emu.store.getDataset(res.body.DatasetId as string)?.Edition).toBe('LOGICAL');
  });

  it('lists datasets filtered by workspace and name, with paging', async () => {
    await client.createDataset({ ...base, Name: 'listme-1', WorkspaceId: 'ws-list' });
    await client.createDataset({ ...base, Name: 'listme-2', WorkspaceId: 'ws-list' });
    await client.createDataset({ ...base, Name: 'other', WorkspaceId: 'ws-list' });
    const res = await client.call('ListDatasets', 'GET', '/api/v1/datasets', {
      query: { WorkspaceId: 'ws-list', Name: 'listme', PageSize: 1, PageNumber: 2 },
    });
    expect(res.body.TotalCount).toBe(2);
    expect((res.body.Datasets as { Name: string }[]).map((d) => d.Name)).toEqual(['listme-2']);
  });

  it('GetDataset of an unknown id is 404 DatasetNotFound', async () => {
    const err = await client.fail('GetDataset', 'GET', '/api/v1/datasets/d-missing');
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('DatasetNotFound');
  });

  it('refuses file metadata on a BASIC dataset with 400 DatasetEditionNotSupported', async () => {
    const id = (await client.createDataset({ ...base, WorkspaceId: WS })).body.DatasetId as string;
    const err = await client.fail('CreateDatasetFileMetas', 'POST', metasPath(id), {
      body: { WorkspaceId: WS, DatasetVersion: 'v1', DatasetFileMetas: [item('a.jpg')] },
    });
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('DatasetEditionNotSupported');
    const list = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1' },
    });
    expect(list.code).toBe('DatasetEditionNotSupported');
  });

  it('scopes datasets by workspace and versions by name', async () => {
    const id = await advancedDataset(client);
    const wrongWs = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: 'other-ws', DatasetVersion: 'v1' },
    });
    expect([wrongWs.statusCode, wrongWs.code]).toEqual([404, 'DatasetNotFound']);
    const wrongVersion = await client.fail('ListDatasetFileMetas', 'GET', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v9' },
    });
    expect([wrongVersion.statusCode, wrongVersion.code]).toEqual([404, 'DatasetVersionNotFound']);
  });
});
