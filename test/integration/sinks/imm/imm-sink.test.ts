// The IMM sink's roles against the emulator through the real client: send + confirm (asynchronous
// indexing), index failures with IMM's reason, lookup, remove, list, and dataset creation.
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticCredentials } from '../../../../src/config/credentials.ts';
import {
  startImmEmulator,
  type ImmEmulator,
  type ImmEmulatorOptions,
} from '../../../../src/emulators/imm/index.ts';
import { createOpenApiImmApi } from '../../../../src/imm/openapi-imm-api.ts';
import type { ImmApi } from '../../../../src/imm/imm-api.ts';
import { ApiGate } from '../../../../src/queue/api-gate.ts';
import { ImmProjectMissing, ensureImmDataset } from '../../../../src/sinks/imm/ensure-dataset.ts';
import { createImmSink, type ImmSink } from '../../../../src/sinks/imm/imm-sink.ts';
import type { SinkItem, TargetRecord } from '../../../../src/sinks/sink.ts';
import { redisClient, uniquePrefix } from '../../../helpers/redis.ts';

let emu: ImmEmulator | undefined;
let redis: Redis;
beforeEach(() => {
  redis = redisClient();
});
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  redis.disconnect();
});

const T = { project: 'proj', dataset: 'ds' };
const noGuard = async () => {};

function item(key: string, fingerprint = 'F1', size = 10): SinkItem {
  return {
    item: { key, size, etag: fingerprint, lastModified: 1_700_000_000_000, op: 'create' },
    facts: {
      bucket: 'bkt',
      key,
      size,
      lastModified: 1_700_000_000_000,
      fingerprint,
      contentType: 'image/jpeg',
      fileType: 'image',
    },
  };
}

async function setup(opts: ImmEmulatorOptions = {}): Promise<{ api: ImmApi; sink: ImmSink }> {
  emu = await startImmEmulator({ projects: ['proj'], ...opts });
  const api = createOpenApiImmApi({
    endpoint: emu.endpoint,
    region: 'cn-hangzhou',
    protocol: 'http',
    credentials: staticCredentials({ accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }),
  });
  expect(await ensureImmDataset(api, T, { region: 'cn-hangzhou' })).toBe('created');
  expect(await ensureImmDataset(api, T, { region: 'cn-hangzhou' })).toBe('exists');
  const gate = new ApiGate(redis, uniquePrefix('imm-gate'), { rps: 0, concurrency: 4 });
  const sink = createImmSink({
    api,
    target: T,
    gate,
    bucket: 'bkt',
    batchMaxItems: 100,
    confirmTimeoutMs: 30_000,
    confirmPollMs: 5,
  });
  return { api, sink };
}

async function deliver(sink: ImmSink, batch: SinkItem[]) {
  const sent = await sink.send(batch, noGuard);
  const answer = await sink.confirm(batch, sent, noGuard);
  return sink.classify(batch, answer);
}

async function listAll(sink: ImmSink): Promise<TargetRecord[]> {
  const out: TargetRecord[] = [];
  for await (const page of sink.list(noGuard)) out.push(...page);
  return out;
}

describe('IMM sink', () => {
  it('delivers a batch only once IMM has indexed it, then finds, lists and removes it', async () => {
    const { sink } = await setup({ faults: { indexDelayMs: 150 } });
    const batch = [item('a.jpg'), item('dir/b.jpg'), item('tab\tkey')];
    const v = await deliver(sink, batch);
    expect(v.outcomes.map((o) => o.kind)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(emu!.store.getDataset('proj', 'ds')?.FileCount).toBe(3);
    const found = await sink.lookup(['a.jpg', 'none'], noGuard);
    expect([...found.keys()]).toEqual(['a.jpg']);
    expect(sink.isCurrent(found.get('a.jpg')![0]!, batch[0]!.facts)).toBe(true);
    expect(sink.isCurrent(found.get('a.jpg')![0]!, item('a.jpg', 'F2').facts)).toBe(false);
    const all = await listAll(sink);
    expect(all.map((r) => r.key).sort()).toEqual(['a.jpg', 'dir/b.jpg', 'tab\tkey']);
    const ids = all.map((r) => r.targetId);
    expect(await sink.remove(ids, noGuard)).toEqual({ gone: ids, failed: [] });
    expect(await listAll(sink)).toEqual([]);
  });

  it('dead-letters files IMM fails permanently with its Reason, retries transient failures', async () => {
    const { sink } = await setup({
      objectSource: {
        headObject: (_b, key) =>
          key === 'gone.jpg'
            ? undefined
            : { size: 10, etag: '"X"', lastModified: new Date(), contentType: 'image/jpeg' },
      },
    });
    const v = await deliver(sink, [item('ok.jpg'), item('gone.jpg')]);
    expect(v.outcomes).toEqual([
      expect.objectContaining({ kind: 'delivered' }),
      expect.objectContaining({ kind: 'rejected', reason: expect.stringContaining('[ResourceNotFound]') }),
    ]);
    emu!.setFaults({ indexFailureRate: 1 });
    const failed = await deliver(sink, [item('ok.jpg', 'F2')]);
    expect(failed.outcomes).toEqual([
      expect.objectContaining({ kind: 'retryable', reason: expect.stringContaining('[InternalError]') }),
    ]);
  });

  it('a batch not indexed by the deadline is retryable and unsure; an unknown project is a clear error', async () => {
    const { api } = await setup({ faults: { indexDelayMs: 3_600_000 } });
    const gate = new ApiGate(redis, uniquePrefix('imm-gate'), { rps: 0, concurrency: 4 });
    const sink = createImmSink({
      api,
      target: T,
      gate,
      bucket: 'bkt',
      batchMaxItems: 100,
      confirmTimeoutMs: 50,
      confirmPollMs: 5,
    });
    const v = await deliver(sink, [item('slow.jpg')]);
    expect(v.outcomes).toEqual([expect.objectContaining({ kind: 'retryable', unsure: true })]);
    await expect(
      ensureImmDataset(api, { project: 'nope', dataset: 'ds' }, { region: 'cn-hangzhou' }),
    ).rejects.toThrow(ImmProjectMissing);
    await expect(
      ensureImmDataset(api, { project: 'nope', dataset: 'ds' }, { region: 'cn-hangzhou' }),
    ).rejects.toThrow(/CreateProject --ProjectName nope/);
  });

  it('a send to a dataset that does not exist stops the run', async () => {
    const { api } = await setup();
    const gate = new ApiGate(redis, uniquePrefix('imm-gate'), { rps: 0, concurrency: 4 });
    const sink = createImmSink({
      api,
      target: { project: 'proj', dataset: 'other' },
      gate,
      bucket: 'bkt',
      batchMaxItems: 100,
    });
    const v = await deliver(sink, [item('a.jpg')]);
    expect(v.fatal).toMatch(/ResourceNotFound/);
  });

  it('100 files with 900-character keys go through (the URL budget cuts them into several calls)', async () => {
    const { sink } = await setup();
    const items = Array.from({ length: 100 }, (_, i) => item(`${'k'.repeat(900)}/${i}.jpg`).item);
    const batches = sink.batches(items);
    let delivered = 0;
    for (const b of batches) {
      const v = await deliver(
        sink,
        b.map((it) => item(it.key)),
      );
      delivered += v.outcomes.filter((o) => o.kind === 'delivered').length;
    }
    expect(delivered).toBe(100);
    expect(emu!.stats.calls.BatchIndexFileMeta).toBe(batches.length);
  });
});
