// dataFile: datasets and records (ids, statuses, fields) survive a restart of the emulator.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaiEmulator } from '../../../../src/emulators/pai/index.ts';
import { PaiTestClient, WS, advancedDataset, item, metasPath, type Json } from './pai-client.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pai-emu-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('keeps datasets and records across a restart, soft deletes and the duplicate-Uri index included', async () => {
    const dataFile = join(dir, 'nested', 'pai.jsonl');
    const first = await startPaiEmulator({ dataFile });
    const c1 = new PaiTestClient(first.endpoint);
    const id = await advancedDataset(c1);
    const created = await c1.createMetas(id, WS, [
      item('keep.jpg', { Tags: '{"user":["x"]}' }),
      item('gone.jpg'),
    ]);
    const [keepId, goneId] = (created.body.SucceedDetails as Json[]).map(
      (s) => s.DatasetFileMetaId as string,
    );
    await c1.deleteMetas(id, WS, [goneId as string]);
    await first.close();
    expect((await readFile(dataFile, 'utf8')).split('\n').filter((l) => l !== '')).toHaveLength(3);

    const second = await startPaiEmulator({ dataFile, port: 0 });
    try {
      const c2 = new PaiTestClient(second.endpoint);
      expect(second.store.getDataset(id)).toMatchObject({
        DatasetId: id,
        WorkspaceId: WS,
        Edition: 'ADVANCED',
      });
      const got = await c2.call('GetDatasetFileMeta', 'GET', `${metasPath(id)}/${keepId}`, {
        query: { WorkspaceId: WS, DatasetVersion: 'v1' },
      });
      expect(got.body.DatasetFileMeta).toMatchObject({
        Uri: 'oss://b/keep.jpg',
        Tags: '{"user":["x"]}',
        Status: 'ACTIVE',
        FileDir: '',
      });
      const all = await c2.listMetas(id, WS, { Status: 'ALL' });
      expect((all.body.DatasetFileMetas as Json[]).map((r) => [r.DatasetFileMetaId, r.Status])).toEqual([
        [keepId, 'ACTIVE'],
        [goneId, 'DELETED'],
      ]);
      const again = await c2.createMetas(id, WS, [item('keep.jpg'), item('gone.jpg')]);
      expect((again.body.FailedDetails as Json[]).map((f) => [f.Uri, f.Result, f.DatasetFileMetaId])).toEqual(
        [['oss://b/keep.jpg', 'Uri already exists', keepId]],
      );
    } finally {
      await second.close();
    }
    // The second run's create was saved on close too.
    const third = await startPaiEmulator({ dataFile });
    try {
      expect(third.store.listRecords(id, 'v1').map((r) => r.Uri)).toEqual([
        'oss://b/keep.jpg',
        'oss://b/gone.jpg',
      ]);
    } finally {
      await third.close();
    }
  });

  it('starts empty when the data file does not exist yet, and saves what the store API creates', async () => {
    const emu = await startPaiEmulator({ dataFile: join(dir, 'fresh.jsonl') });
    let created = '';
    try {
      expect(emu.store.getDataset('d-none')).toBeUndefined();
      created = emu.store.createDataset({ Name: 'x', Edition: 'ADVANCED' });
    } finally {
      await emu.close();
    }
    const again = await startPaiEmulator({ dataFile: join(dir, 'fresh.jsonl') });
    try {
      expect(again.store.getDataset(created)).toMatchObject({
        Name: 'x',
        Edition: 'ADVANCED',
        WorkspaceId: 'default',
      });
    } finally {
      await again.close();
    }
  });

  it('keeps dataset versions (their metadata and records) and loads files written before versions had metadata', async () => {
    const dataFile = join(dir, 'versions.jsonl');
    const first = await startPaiEmulator({ dataFile });
    const c1 = new PaiTestClient(first.endpoint);
    const id = await advancedDataset(c1, { VersionDescription: 'one' });
    await c1.call('CreateDatasetVersion', 'POST', `/api/v1/datasets/${id}/versions`, {
      body: { DataSourceType: 'OSS', Property: 'DIRECTORY', Uri: 'oss://b/v2/', Description: 'two' },
    });
    await c1.createMetas(id, WS, [item('v2/a.jpg')], 'v2');
    await first.close();

    const second = await startPaiEmulator({ dataFile });
    try {
      const c2 = new PaiTestClient(second.endpoint);
      const v2 = await c2.call('GetDatasetVersion', 'GET', `/api/v1/datasets/${id}/versions/v2`);
      expect(v2.body).toMatchObject({ VersionName: 'v2', Description: 'two', DataCount: 1 });
      const v1 = await c2.call('GetDatasetVersion', 'GET', `/api/v1/datasets/${id}/versions/v1`);
      expect(v1.body).toMatchObject({ VersionName: 'v1', Description: 'one', DataCount: 0 });
    } finally {
      await second.close();
    }

    // An older file lists versions by name only: they get the dataset's own fields.
    const legacy = join(dir, 'legacy.jsonl');
    const meta = {
      DatasetId: 'd-legacy',
      Name: 'old',
      WorkspaceId: WS,
      Edition: 'ADVANCED',
      Uri: 'oss://b/',
      Property: 'DIRECTORY',
      DataSourceType: 'OSS',
      DataType: 'COMMON',
      SourceType: 'USER',
      Accessibility: 'PRIVATE',
      GmtCreateTime: '2025-01-01T00:00:00.000Z',
      GmtModifiedTime: '2025-01-01T00:00:00.000Z',
    };
    await writeFile(legacy, `${JSON.stringify({ type: 'dataset', meta, versions: ['v1'] })}\n`);
    const third = await startPaiEmulator({ dataFile: legacy });
    try {
      const v1 = await new PaiTestClient(third.endpoint).call(
        'GetDatasetVersion',
        'GET',
        '/api/v1/datasets/d-legacy/versions/v1',
      );
      expect(v1.body).toMatchObject({
        VersionName: 'v1',
        Uri: 'oss://b/',
        GmtCreateTime: '2025-01-01T00:00:00.000Z',
      });
    } finally {
      await third.close();
    }
  });
});
