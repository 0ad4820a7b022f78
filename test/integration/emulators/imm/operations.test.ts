// Every IMM operation of the emulator through the real openapi-core client (RPC style), refusals included.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startImmEmulator,
  type ImmEmulator,
  type ImmEmulatorOptions,
} from '../../../../src/emulators/imm/index.ts';
import { D, ImmTestClient, P, file, until, type Json } from './imm-client.ts';

let emu: ImmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(
  opts: ImmEmulatorOptions = {},
  dataset = true,
): Promise<{ c: ImmTestClient; emu: ImmEmulator }> {
  emu = await startImmEmulator({ projects: [P], ...opts });
  const c = new ImmTestClient(emu.endpoint);
  if (dataset) await c.call('CreateDataset', { ProjectName: P, DatasetName: D });
  return { c, emu };
}

const files = (body: Json): Json[] => body.Files as Json[];

describe('projects', () => {
  it('CreateProject then GetProject with and without statistics; a duplicate is 409', async () => {
    const { c } = await setup({ projects: [] }, false);
    const created = await c.call('CreateProject', { ProjectName: 'p2', Description: 'demo' });
    expect(created.body.Project).toMatchObject({
      ProjectName: 'p2',
      Description: 'demo',
      ProjectQueriesPerSecond: 100,
    });
    const plain = await c.call('GetProject', { ProjectName: 'p2' });
    expect(plain.body.Project).not.toHaveProperty('FileCount');
    const stats = await c.call('GetProject', { ProjectName: 'p2', WithStatistics: true });
    expect(stats.body.Project).toMatchObject({ DatasetCount: 0, FileCount: 0, TotalFileSize: 0 });
    const dup = await c.fail('CreateProject', { ProjectName: 'p2' });
    expect([dup.statusCode, dup.code]).toEqual([409, 'ResourceAlreadyExists']);
    const bad = await c.fail('CreateProject', { ProjectName: '9bad' });
    expect(bad.code).toBe('InvalidArgument');
  });

  it('an unknown project is 404 ResourceNotFound for every operation that names one', async () => {
    const { c } = await setup({}, false);
    for (const [action, extra] of [
      ['GetProject', {}],
      ['CreateDataset', { DatasetName: 'x' }],
      ['BatchIndexFileMeta', { DatasetName: 'x', Files: [file('a.jpg')] }],
      ['SimpleQuery', { DatasetName: 'x' }],
    ] as const) {
      const err = await c.fail(action, { ProjectName: 'nope', ...extra });
      expect([action, err.statusCode, err.code, err.message]).toEqual([
        action,
        404,
        'ResourceNotFound',
        expect.stringContaining('project "nope" is not found'),
      ]);
    }
  });
});

describe('CreateDataset', () => {
  it('applies the documented defaults and answers the Dataset', async () => {
    const { c } = await setup({}, false);
    const res = await c.call('CreateDataset', {
      ProjectName: P,
      DatasetName: '_d-1',
      TemplateId: 'Official:ImageManagement',
    });
    expect(res.body.Dataset).toMatchObject({
      ProjectName: P,
      DatasetName: '_d-1',
      TemplateId: 'Official:ImageManagement',
      DatasetMaxBindCount: 10,
      DatasetMaxFileCount: 100_000_000,
      DatasetMaxEntityCount: 10_000_000_000,
      DatasetMaxRelationCount: 100_000_000_000,
      DatasetMaxTotalFileSize: 90_000_000_000_000_000,
      FileCount: 0,
    });
  });

  it.each([
    ['', 'MissingDatasetName'],
    ['1starts-with-digit', 'InvalidArgument'],
    ['has space', 'InvalidArgument'],
    ['dot.name', 'InvalidArgument'],
    ['x'.repeat(129), 'InvalidArgument'],
  ])('refuses the dataset name %j with %s', async (name, code) => {
    const { c } = await setup({}, false);
    const err = await c.fail('CreateDataset', { ProjectName: P, DatasetName: name });
    expect([err.statusCode, err.code]).toEqual([400, code]);
  });

  it('accepts a 128-character name and refuses a second dataset of the same name', async () => {
    const { c } = await setup({}, false);
    await c.call('CreateDataset', { ProjectName: P, DatasetName: 'a'.repeat(128) });
    const dup = await c.fail('CreateDataset', { ProjectName: P, DatasetName: 'a'.repeat(128) });
    expect([dup.statusCode, dup.code]).toEqual([409, 'ResourceAlreadyExists']);
  });

  it.each([
    ['DatasetMaxBindCount', 0],
    ['DatasetMaxBindCount', 11],
    ['DatasetMaxFileCount', 0],
    ['DatasetMaxFileCount', 100_000_001],
    ['DatasetMaxTotalFileSize', 0],
  ])('refuses %s=%d', async (name, value) => {
    const { c } = await setup({}, false);
    const err = await c.fail('CreateDataset', { ProjectName: P, DatasetName: 'd', [name]: value });
    expect([err.code, err.message]).toEqual(['InvalidArgument', expect.stringContaining(name)]);
  });

  it('refuses a Description over 256 characters', async () => {
    const { c } = await setup({}, false);
    const err = await c.fail('CreateDataset', {
      ProjectName: P,
      DatasetName: 'd',
      Description: 'x'.repeat(257),
    });
    expect(err.code).toBe('InvalidArgument');
  });
});

describe('GetDataset / ListDatasets', () => {
  it('WithStatistics gives FileCount and TotalFileSize; ListDatasets pages with NextToken and Prefix', async () => {
    const { c, emu } = await setup();
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('a.jpg'), file('b.jpg')],
    });
    await emu.idle();
    const plain = await c.call('GetDataset', { ProjectName: P, DatasetName: D });
    expect(plain.body.Dataset).not.toHaveProperty('FileCount');
    const stats = await c.call('GetDataset', { ProjectName: P, DatasetName: D, WithStatistics: true });
    expect(stats.body.Dataset).toMatchObject({ FileCount: 2, TotalFileSize: 0 });
    for (const n of ['x1', 'x2', 'x3']) await c.call('CreateDataset', { ProjectName: P, DatasetName: n });
    const first = await c.call('ListDatasets', { ProjectName: P, Prefix: 'x', MaxResults: 2 });
    const names = (first.body.Datasets as Json[]).map((d) => d.DatasetName);
    expect(names).toEqual(['x1', 'x2']);
    const second = await c.call('ListDatasets', {
      ProjectName: P,
      Prefix: 'x',
      MaxResults: 2,
      NextToken: first.body.NextToken,
    });
    expect((second.body.Datasets as Json[]).map((d) => d.DatasetName)).toEqual(['x3']);
    expect(second.body.NextToken).toBe('');
    const missing = await c.fail('GetDataset', { ProjectName: P, DatasetName: 'none' });
    expect([missing.statusCode, missing.code]).toEqual([404, 'ResourceNotFound']);
  });
});

describe('indexing', () => {
  it('BatchIndexFileMeta answers an EventId at once and indexes after the delay', async () => {
    const { c, emu } = await setup({ faults: { indexDelayMs: 60_000 } });
    const res = await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('a.jpg')],
    });
    expect(res.body.EventId).toMatch(/^[0-9A-F]{3}-[0-9A-F]+$/);
    const before = await c.call('BatchGetFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: ['oss://bkt/a.jpg'],
    });
    expect(files(before.body)).toEqual([]);
    expect(emu.stats.pendingIndex).toBe(1);
    emu.setFaults({ indexDelayMs: 0 });
    await c.call('IndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      File: file('b.png', { CustomId: 'id-b' }),
    });
    const b = await until(async () => {
      const got = await c.call('BatchGetFileMeta', {
        ProjectName: P,
        DatasetName: D,
        URIs: ['oss://bkt/b.png'],
      });
      return files(got.body)[0];
    });
    expect(b).toMatchObject({
      URI: 'oss://bkt/b.png',
      CustomId: 'id-b',
      ObjectStatus: 'Indexed',
      MediaType: 'other',
    });
    expect(emu.stats.pendingIndex).toBe(1);
    expect(emu.stats.calls).toMatchObject({ CreateDataset: 1, BatchIndexFileMeta: 1, IndexFileMeta: 1 });
  });

  it('indexes files keyed by URI: a second index of one URI replaces it (one file per URI)', async () => {
    const { c, emu } = await setup();
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('dir/a.jpg', { ContentType: 'image/jpeg' })],
    });
    await emu.idle();
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('dir/a.jpg', { CustomLabels: { fp: 'v2' } })],
    });
    await emu.idle();
    const got = await c.call('GetFileMeta', { ProjectName: P, DatasetName: D, URI: 'oss://bkt/dir/a.jpg' });
    expect(files(got.body)).toEqual([
      expect.objectContaining({
        URI: 'oss://bkt/dir/a.jpg',
        Filename: 'a.jpg',
        ObjectStatus: 'Indexed',
        ObjectType: 'file',
        CustomLabels: { fp: 'v2' },
        ProjectName: P,
        DatasetName: D,
        ObjectId: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(emu.store.getDataset(P, D)?.FileCount).toBe(1);
  });

  it('refuses 101 files, 0 files and a malformed file before accepting anything', async () => {
    const { c, emu } = await setup();
    const many = Array.from({ length: 101 }, (_, i) => file(`f${i}.jpg`));
    const err = await c.fail('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: many });
    expect([err.statusCode, err.code, err.message]).toEqual([
      400,
      'LimitExceededError',
      expect.stringContaining('101'),
    ]);
    const none = await c.fail('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: [] });
    expect(none.code).toBe('LimitExceededError');
    const bad = await c.fail('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('ok.jpg'), { URI: 'https://x/y.jpg' }],
    });
    expect([bad.code, bad.message]).toEqual(['InvalidArgument', expect.stringContaining('Files[1].URI')]);
    const notJson = await c.fail('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: '[{' });
    expect(notJson.code).toBe('InvalidArgument');
    const missing = await c.fail('BatchIndexFileMeta', { ProjectName: P, DatasetName: D });
    expect(missing.code).toBe('MissingFiles');
    await emu.idle();
    expect(emu.store.listFiles(P, D)).toEqual([]);
    const hundred = Array.from({ length: 100 }, (_, i) => file(`f${i}.jpg`));
    await c.call('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: hundred });
    await emu.idle();
    expect(emu.store.getDataset(P, D)?.FileCount).toBe(100);
  });

  it('indexFailureRate fails files with a Reason visible to BatchGetFileMeta, not to SimpleQuery', async () => {
    const { c, emu } = await setup({ faults: { indexFailureRate: 1 } });
    await c.call('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: [file('a.jpg')] });
    await emu.idle();
    const got = await c.call('BatchGetFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: ['oss://bkt/a.jpg'],
    });
    expect(files(got.body)).toEqual([
      expect.objectContaining({
        ObjectStatus: 'Failed',
        Reason: expect.stringMatching(/^\[InternalError\]/),
      }),
    ]);
    const q = await c.call('SimpleQuery', { ProjectName: P, DatasetName: D });
    expect(q.body.Files).toEqual([]);
    expect(emu.stats.indexFailed).toBe(1);
  });

  it('with an objectSource, a missing OSS object fails and a present one carries Size/ETag/FileModifiedTime', async () => {
    const lastModified = new Date('2025-01-12T14:36:01Z');
    const { c, emu } = await setup({
      objectSource: {
        headObject: (bucket, key) =>
          key === 'here.jpg'
            ? { size: 42, etag: '"ABC"', lastModified, contentType: 'image/jpeg' }
            : undefined,
      },
    });
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('here.jpg'), file('gone.jpg')],
    });
    await emu.idle();
    const got = await c.call('BatchGetFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: ['oss://bkt/here.jpg', 'oss://bkt/gone.jpg'],
    });
    expect(files(got.body)).toEqual([
      expect.objectContaining({
        Size: 42,
        ETag: '"ABC"',
        MediaType: 'image',
        FileModifiedTime: expect.stringMatching(/^2025-01-12T14:36:01/),
      }),
      expect.objectContaining({
        ObjectStatus: 'Failed',
        Reason: expect.stringMatching(/^\[ResourceNotFound\]/),
      }),
    ]);
    const ds = await c.call('GetDataset', { ProjectName: P, DatasetName: D, WithStatistics: true });
    expect(ds.body.Dataset).toMatchObject({ FileCount: 1, TotalFileSize: 42 });
  });

  it('enforces DatasetMaxFileCount and DatasetMaxTotalFileSize at indexing time', async () => {
    const { c, emu } = await setup(
      {
        objectSource: {
          headObject: () => ({ size: 10, etag: '"E"', lastModified: new Date(), contentType: 'image/png' }),
        },
      },
      false,
    );
    await c.call('CreateDataset', { ProjectName: P, DatasetName: 'small', DatasetMaxFileCount: 2 });
    await c.call('CreateDataset', { ProjectName: P, DatasetName: 'tiny', DatasetMaxTotalFileSize: 15 });
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: 'small',
      Files: [file('1'), file('2'), file('3')],
    });
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: 'tiny',
      Files: [file('1'), file('2')],
    });
    await emu.idle();
    const status = (d: string) => emu.store.listFiles(P, d).map((f) => [f.URI, f.ObjectStatus]);
    expect(status('small')).toEqual([
      ['oss://bkt/1', 'Indexed'],
      ['oss://bkt/2', 'Indexed'],
      ['oss://bkt/3', 'Failed'],
    ]);
    expect(status('tiny')).toEqual([
      ['oss://bkt/1', 'Indexed'],
      ['oss://bkt/2', 'Failed'],
    ]);
    expect(emu.store.listFiles(P, 'small')[2]?.Reason).toMatch(/DatasetMaxFileCount/);
    // Re-indexing a file already counted does not hit the cap.
    await c.call('IndexFileMeta', { ProjectName: P, DatasetName: 'small', File: file('1') });
    await emu.idle();
    expect(status('small')[0]).toEqual(['oss://bkt/1', 'Indexed']);
  });
});

describe('update, get, delete', () => {
  it('BatchUpdateFileMeta changes labels of indexed files and reports unknown URIs per file', async () => {
    const { c, emu } = await setup();
    await c.call('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: [file('a.jpg')] });
    await emu.idle();
    const res = await c.call('BatchUpdateFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('a.jpg', { CustomLabels: { fp: 'new' }, CustomId: 'x' }), file('zz.jpg')],
    });
    expect(res.body.Files).toEqual([
      { URI: 'oss://bkt/a.jpg', Success: true, Message: '' },
      { URI: 'oss://bkt/zz.jpg', Success: false, Message: expect.stringContaining('ResourceNotFound') },
    ]);
    const got = await c.call('GetFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URI: 'oss://bkt/a.jpg',
      WithFields: ['URI', 'CustomLabels'],
    });
    expect(got.body.Files).toEqual([{ URI: 'oss://bkt/a.jpg', CustomLabels: { fp: 'new' } }]);
    const tooMany = await c.fail('BatchUpdateFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: Array.from({ length: 101 }, (_, i) => file(`${i}`)),
    });
    expect(tooMany.code).toBe('LimitExceededError');
  });

  it('GetFileMeta of an unknown URI is 404; BatchGetFileMeta leaves unknown URIs out and takes at most 100', async () => {
    const { c } = await setup();
    const err = await c.fail('GetFileMeta', { ProjectName: P, DatasetName: D, URI: 'oss://bkt/none' });
    expect([err.statusCode, err.code]).toEqual([404, 'ResourceNotFound']);
    const batch = await c.call('BatchGetFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: ['oss://bkt/none'],
    });
    expect(batch.body.Files).toEqual([]);
    const many = await c.fail('BatchGetFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: Array.from({ length: 101 }, (_, i) => `oss://bkt/${i}`),
    });
    expect([many.code, many.message]).toEqual(['LimitExceededError', expect.stringContaining('URIs')]);
  });

  it('DeleteFileMeta and BatchDeleteFileMeta remove files; both are idempotent; strictDelete makes the single one 404', async () => {
    const { c, emu } = await setup();
    await c.call('BatchIndexFileMeta', {
      ProjectName: P,
      DatasetName: D,
      Files: [file('a'), file('b'), file('c')],
    });
    await emu.idle();
    await c.call('DeleteFileMeta', { ProjectName: P, DatasetName: D, URI: 'oss://bkt/a' });
    await c.call('DeleteFileMeta', { ProjectName: P, DatasetName: D, URI: 'oss://bkt/a' });
    await c.call('BatchDeleteFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: ['oss://bkt/b', 'oss://bkt/none'],
    });
    expect(emu.store.listFiles(P, D).map((f) => f.URI)).toEqual(['oss://bkt/c']);
    const many = await c.fail('BatchDeleteFileMeta', {
      ProjectName: P,
      DatasetName: D,
      URIs: Array.from({ length: 101 }, (_, i) => `oss://bkt/${i}`),
    });
    expect(many.code).toBe('LimitExceededError');
    await emu.close();
    const strict = await setup({ strictDelete: true });
    const err = await strict.c.fail('DeleteFileMeta', { ProjectName: P, DatasetName: D, URI: 'oss://bkt/a' });
    expect([err.statusCode, err.code]).toEqual([404, 'ResourceNotFound']);
  });
});
