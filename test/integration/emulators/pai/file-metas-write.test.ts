// CreateDatasetFileMetas / UpdateDatasetFileMetas / DeleteDatasetFileMetas / GetDatasetFileMeta through the
// real SDK: per-item outcomes in FailedDetails with the Result texts the worker classifies.
import { afterEach, describe, expect, it } from 'vitest';
import {
  PAI_RESULT,
  startPaiEmulator,
  type PaiEmulator,
  type PaiEmulatorOptions,
} from '../../../../src/emulators/pai/index.ts';
import { PaiTestClient, WS, advancedDataset, item, metasPath, type Json } from './pai-client.ts';

let emu: PaiEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(
  opts: PaiEmulatorOptions = {},
): Promise<{ client: PaiTestClient; id: string; emu: PaiEmulator }> {
  emu = await startPaiEmulator(opts);
  const client = new PaiTestClient(emu.endpoint);
  return { client, id: await advancedDataset(client), emu };
}

const details = (body: Json, key: 'FailedDetails' | 'SucceedDetails'): Json[] => body[key] as Json[];

describe('CreateDatasetFileMetas', () => {
  it('creates valid items and fails each invalid one in FailedDetails with a Result naming the problem', async () => {
    const { client, id, emu } = await setup();
    const res = await client.createMetas(id, WS, [
      item('cars/2025/a.jpg', { FileName: undefined }),
      item('b.jpg', { FileFingerPrint: undefined }),
      item('c.jpg', { FileType: '' }),
      item('d.jpg', { ContentType: undefined }),
      item('e.jpg', { FileUpdateTime: 'yesterday' }),
      item('f.jpg', { DataSize: -1 }),
      item('g.jpg', { DataSize: 1.5 }),
      item('h.jpg', { FileCreateTime: '2025-13-45' }),
      {
        FileFingerPrint: 'x',
        FileType: 'image',
        ContentType: 'image/jpeg',
        FileUpdateTime: '2025-01-12T14:36:01Z',
      },
      item('i.jpg', { Tags: 'not json' }),
      item('ok/j.png', { FileUpdateTime: '2025-01-12T14:36:01.123+08:00' }),
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.body.Status).toBe(false);
    expect(res.body.RequestId).toEqual(expect.any(String));
    const failed = details(res.body, 'FailedDetails');
    expect(failed.map((f) => [f.Uri, f.Result])).toEqual([
      ['oss://b/b.jpg', 'InvalidParameter: FileFingerPrint is required'],
      ['oss://b/c.jpg', 'InvalidParameter: FileType is required'],
      ['oss://b/d.jpg', 'InvalidParameter: ContentType is required'],
      ['oss://b/e.jpg', expect.stringMatching(/^InvalidParameter: FileUpdateTime must be an ISO 8601/)],
      ['oss://b/f.jpg', 'InvalidParameter: DataSize must be an integer >= 0'],
      ['oss://b/g.jpg', 'InvalidParameter: DataSize must be an integer >= 0'],
      ['oss://b/h.jpg', expect.stringMatching(/^InvalidParameter: FileCreateTime must be an ISO 8601/)],
      [undefined, 'InvalidParameter: Uri is required'],
      ['oss://b/i.jpg', expect.stringMatching(/^InvalidParameter: Tags/)],
    ]);
    const ok = details(res.body, 'SucceedDetails');
    expect(ok.map((s) => s.Uri)).toEqual(['oss://b/cars/2025/a.jpg', 'oss://b/ok/j.png']);
    for (const s of ok) expect(s.DatasetFileMetaId).toMatch(/^[0-9a-f]{64}$/);
    expect(emu.stats.failedItems).toBe(9);

    const records = emu.store.listRecords(id, 'v1');
    expect(records.map((r) => [r.Uri, r.FileDir, r.FileName, r.Status])).toEqual([
      ['oss://b/cars/2025/a.jpg', 'cars/2025/', 'a.jpg', 'ACTIVE'],
      ['oss://b/ok/j.png', 'ok/', 'j.png', 'ACTIVE'],
    ]);
    expect(records[0]?.SyncTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('answers Status true and FileDir "" at the bucket root', async () => {
    const { client, id } = await setup();
    const res = await client.createMetas(id, WS, [item('root.jpg', { Tags: '{"user":["cat","white"]}' })]);
    expect(res.body.Status).toBe(true);
    expect(details(res.body, 'FailedDetails')).toEqual([]);
    const metaId = details(res.body, 'SucceedDetails')[0]?.DatasetFileMetaId as string;
    const got = await client.call('GetDatasetFileMeta', 'GET', `${metasPath(id)}/${metaId}`, {
      query: { WorkspaceId: WS, DatasetVersion: 'v1' },
    });
    expect(got.body).toMatchObject({
      DatasetId: id,
      DatasetVersion: 'v1',
      WorkspaceId: WS,
      DatasetFileMeta: {
        DatasetFileMetaId: metaId,
        Uri: 'oss://b/root.jpg',
        FileDir: '',
        FileName: 'root.jpg',
        DataSize: 100,
        Status: 'ACTIVE',
        Tags: '{"user":["cat","white"]}',
        TagUpdateTime: expect.any(String),
      },
    });
  });

  it('fails a Uri that already has an ACTIVE record with "Uri already exists" and the existing id', async () => {
    const { client, id } = await setup();
    const first = await client.createMetas(id, WS, [item('dup.jpg')]);
    const existingId = details(first.body, 'SucceedDetails')[0]?.DatasetFileMetaId;
    const again = await client.createMetas(id, WS, [item('dup.jpg'), item('new.jpg'), item('new.jpg')]);
    expect(again.body.Status).toBe(false);
    const failed = details(again.body, 'FailedDetails');
    expect(failed).toHaveLength(2);
    expect(failed[0]).toEqual({
      DatasetFileMetaId: existingId,
      Uri: 'oss://b/dup.jpg',
      Result: PAI_RESULT.uriExists,
    });
    expect(failed[1]?.Uri).toBe('oss://b/new.jpg'); // duplicate within one call
    expect(String(failed[1]?.Result)).toMatch(/^Uri already exists/);
  });

  it('allows duplicate Uris when allowDuplicateUris is set', async () => {
    const { client, id, emu } = await setup({ allowDuplicateUris: true });
    await client.createMetas(id, WS, [item('dup.jpg')]);
    const again = await client.createMetas(id, WS, [item('dup.jpg')]);
    expect(again.body.Status).toBe(true);
    expect(emu.store.listRecords(id, 'v1')).toHaveLength(2);
  });

  it('rejects more than maxItemsPerCall items and missing parameters with 400', async () => {
    const { client, id } = await setup({ maxItemsPerCall: 3 });
    const many = [item('1'), item('2'), item('3'), item('4')];
    const tooMany = await client.fail('CreateDatasetFileMetas', 'POST', metasPath(id), {
      body: { WorkspaceId: WS, DatasetVersion: 'v1', DatasetFileMetas: many },
    });
    expect([tooMany.statusCode, tooMany.code]).toEqual([400, 'InvalidParameter']);
    expect(tooMany.message).toContain('at most 3 items');
    for (const missing of ['WorkspaceId', 'DatasetVersion', 'DatasetFileMetas']) {
      const body: Json = { WorkspaceId: WS, DatasetVersion: 'v1', DatasetFileMetas: [item('x')] };
      delete body[missing];
      const err = await client.fail('CreateDatasetFileMetas', 'POST', metasPath(id), { body });
      expect([err.statusCode, err.code]).toEqual([400, 'MissingParameter']);
      expect(err.message).toContain(missing);
    }
    expect((await client.createMetas(id, WS, many.slice(0, 3))).body.Status).toBe(true);
  });

  it('fails items beyond the ADVANCED cap with a permanent QuotaExceeded Result; deleting makes room', async () => {
    const { client, id } = await setup({ editionCaps: { ADVANCED: 3 } });
    const res = await client.createMetas(id, WS, [item('1'), item('2'), item('3'), item('4'), item('5')]);
    expect(details(res.body, 'SucceedDetails')).toHaveLength(3);
    const failed = details(res.body, 'FailedDetails');
    expect(failed.map((f) => f.Uri)).toEqual(['oss://b/4', 'oss://b/5']);
    for (const f of failed)
      expect(String(f.Result)).toMatch(/^QuotaExceeded: edition ADVANCED allows at most 3/);
    const firstId = details(res.body, 'SucceedDetails')[0]?.DatasetFileMetaId as string;
    await client.deleteMetas(id, WS, [firstId]);
    expect((await client.createMetas(id, WS, [item('4')])).body.Status).toBe(true);
  });

  it('partialFailureRate fails the items the injected random picks with the retryable Result', async () => {
    const draws = [0.9, 0.1, 0.9, 0.05];
    const { client, id, emu } = await setup({
      faults: { partialFailureRate: 0.5 },
      random: () => draws.shift() ?? 0.9,
    });
    const res = await client.createMetas(id, WS, [item('a'), item('b'), item('c'), item('d')]);
    const failed = details(res.body, 'FailedDetails');
    expect(failed).toEqual([
      { Uri: 'oss://b/b', Result: 'InternalError: please retry' },
      { Uri: 'oss://b/d', Result: 'InternalError: please retry' },
    ]);
    expect(failed.every((f) => String(f.Result).startsWith('InternalError:'))).toBe(true);
    expect(emu.store.listRecords(id, 'v1').map((r) => r.Uri)).toEqual(['oss://b/a', 'oss://b/c']);
    // A retry of the failed items succeeds once the fault is off.
    emu.setFaults({ partialFailureRate: 0 });
    expect((await client.createMetas(id, WS, [item('b'), item('d')])).body.Status).toBe(true);
  });

  it('lostAnswerRate applies the write, then resets the connection instead of answering', async () => {
    const { client, id, emu } = await setup({ faults: { lostAnswerRate: 1 } });
    const err = await client.createMetas(id, WS, [item('x/a'), item('x/b')]).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err).toBeDefined();
    expect(`${err?.code ?? ''} ${err?.message ?? ''}`).toMatch(/ECONNRESET|socket hang up/);
    // The records exist although the client never heard of them.
    expect(emu.store.listRecords(id, 'v1').map((r) => r.Uri)).toEqual(['oss://b/x/a', 'oss://b/x/b']);
    expect(emu.stats.lostAnswers).toBe(1);
    expect(emu.stats.accepted.created).toBe(2);
    // Reads are never dropped; with the fault off writes answer again.
    emu.setFaults({ lostAnswerRate: 0 });
    expect((await client.createMetas(id, WS, [item('x/c')])).body.Status).toBe(true);
    expect(emu.stats.accepted.created).toBe(3);
  });
});

describe('UpdateDatasetFileMetas', () => {
  it('changes only the given fields, merges tag edits, and answers unknown or deleted ids "Not Found"', async () => {
    const { client, id, emu } = await setup();
    const created = await client.createMetas(id, WS, [
      item('u/a.jpg', { Comment: 'keep', Tags: '{"user":{"add":["cat","dog"]}}' }),
      item('u/b.jpg'),
    ]);
    const [a, b] = details(created.body, 'SucceedDetails').map((s) => s.DatasetFileMetaId as string);
    await client.deleteMetas(id, WS, [b as string]);
    const res = await client.updateMetas(id, WS, [
      {
        DatasetFileMetaId: a,
        FileFingerPrint: 'NEW',
        DataSize: 7,
        FileUpdateTime: '2025-06-01T00:00:00Z',
        Tags: '{"user":{"add":["bird"],"remove":["dog"]}}',
      },
      { DatasetFileMetaId: b, DataSize: 1 },
      { DatasetFileMetaId: 'f'.repeat(64), DataSize: 1 },
      { DatasetFileMetaId: a, DataSize: -5 },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.body.Status).toBe(false);
    expect(res.body).not.toHaveProperty('SucceedDetails');
    expect(details(res.body, 'FailedDetails')).toEqual([
      { DatasetFileMetaId: b, Result: 'Not Found' },
      { DatasetFileMetaId: 'f'.repeat(64), Result: 'Not Found' },
      { DatasetFileMetaId: a, Result: 'InvalidParameter: DataSize must be an integer >= 0' },
    ]);
    const rec = emu.store.listRecords(id, 'v1')[0];
    expect(rec).toMatchObject({
      Uri: 'oss://b/u/a.jpg',
      FileFingerPrint: 'NEW',
      DataSize: 7,
      FileUpdateTime: '2025-06-01T00:00:00Z',
      Comment: 'keep',
      ContentType: 'image/jpeg',
    });
    expect(JSON.parse(rec?.Tags ?? '{}')).toEqual({ user: ['cat', 'bird'] });
  });

  it('answers Status true with an empty FailedDetails when every item is updated', async () => {
    const { client, id } = await setup();
    const created = await client.createMetas(id, WS, [item('x.jpg')]);
    const metaId = details(created.body, 'SucceedDetails')[0]?.DatasetFileMetaId;
    const res = await client.updateMetas(id, WS, [{ DatasetFileMetaId: metaId, Comment: 'c' }]);
    expect(res.body).toMatchObject({ Status: true, FailedDetails: [] });
  });
});

describe('DeleteDatasetFileMetas and GetDatasetFileMeta', () => {
  it('soft-deletes comma-separated ids, fails unknown or already deleted ones, and frees the Uri', async () => {
    const { client, id, emu } = await setup();
    const created = await client.createMetas(id, WS, [item('d/1'), item('d/2'), item('d/3')]);
    const ids = details(created.body, 'SucceedDetails').map((s) => s.DatasetFileMetaId as string);
    const res = await client.deleteMetas(id, WS, [ids[0] as string, ids[1] as string, 'nope']);
    expect(res.body.Status).toBe(false);
    expect(details(res.body, 'FailedDetails')).toEqual([{ DatasetFileMetaId: 'nope', Result: 'Not Found' }]);
    const again = await client.deleteMetas(id, WS, [ids[0] as string]);
    expect(details(again.body, 'FailedDetails')).toEqual([
      { DatasetFileMetaId: ids[0], Result: 'Not Found' },
    ]);

    expect(emu.store.listRecords(id, 'v1').map((r) => r.Uri)).toEqual(['oss://b/d/3']);
    expect(emu.store.listRecords(id, 'v1', 'DELETED').map((r) => r.Uri)).toEqual([
      'oss://b/d/1',
      'oss://b/d/2',
    ]);
    const got = await client.call('GetDatasetFileMeta', 'GET', `${metasPath(id)}/${ids[0]}`, {
      query: { WorkspaceId: WS, DatasetVersion: 'v1' },
    });
    expect((got.body.DatasetFileMeta as Json).Status).toBe('DELETED');
    // The deleted Uri no longer blocks a create.
    expect((await client.createMetas(id, WS, [item('d/1')])).body.Status).toBe(true);
  });

  it('requires DatasetFileMetaIds and answers GetDatasetFileMeta of an unknown id with 404', async () => {
    const { client, id } = await setup();
    const err = await client.fail('DeleteDatasetFileMetas', 'DELETE', metasPath(id), {
      query: { WorkspaceId: WS, DatasetVersion: 'v1' },
    });
    expect([err.statusCode, err.code]).toEqual([400, 'MissingParameter']);
    const get = await client.fail('GetDatasetFileMeta', 'GET', `${metasPath(id)}/${'0'.repeat(64)}`, {
      query: { WorkspaceId: WS, DatasetVersion: 'v1' },
    });
    expect([get.statusCode, get.code]).toEqual([404, 'DatasetFileMetaNotFound']);
  });
});
