// RunStore against the real Redis: records, counters, the pending set, the finalize claim, delete candidates.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys } from '../../../src/queue/keys.ts';
import { RunStore } from '../../../src/runs/run-store.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';
import { testBinding, zeroCounters } from './fixtures.ts';

const T0 = Date.UTC(2024, 0, 1);

let redis: Redis;
let redis2: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  redis = redisClient();
  redis2 = redisClient();
});

afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await Promise.all([redis.quit(), redis2.quit()]);
});

/** A store under a prefix of its own; `other` is a second store on another connection (another worker). */
function stores(): { store: RunStore; other: RunStore; keys: Keys } {
  const prefix = uniquePrefix('runs');
  prefixes.push(prefix);
  const keys = new Keys(prefix);
  return { store: new RunStore(redis, keys), other: new RunStore(redis2, keys), keys };
}

describe('RunStore', () => {
  it('a finished job registered again by a re-run parent does not come back as pending', async () => {
    const { store } = stores();
    await store.addPending('rphantom', ['rphantom.s.p0.1', 'rphantom.y.p0.0']);
    expect(await store.donePending('rphantom', 'rphantom.s.p0.1')).toBe(1);
    // The parent (page 0) runs again after a crash and registers its children once more.
    await store.addPending('rphantom', ['rphantom.s.p0.1', 'rphantom.y.p0.0']);
    expect(await store.pendingCount('rphantom')).toBe(1);
    expect(await store.donePending('rphantom', 'rphantom.y.p0.0')).toBe(0);
    await store.cleanup('rphantom');
  });

  it('creates a run and reads it back', async () => {
    const { store } = stores();
    const binding = testBinding();
    await store.create('r1', 'backfill', binding, T0);
    expect(await store.get('r1')).toEqual({
      runId: 'r1',
      kind: 'backfill',
      status: 'queued',
      binding,
      createdAt: T0,
      complete: true,
      counters: zeroCounters(),
      pendingJobs: 0,
      deleteCandidates: 0,
      deleteCandidatesSeen: 0,
    });
    expect(await store.status('r1')).toBe('queued');
    expect(await store.binding('r1')).toEqual(binding);
  });

  it('answers undefined for a run that does not exist', async () => {
    const { store } = stores();
    expect(await store.get('nope')).toBeUndefined();
    expect(await store.status('nope')).toBeUndefined();
    expect(await store.binding('nope')).toBeUndefined();
  });

  it('lists runs newest first', async () => {
    const { store } = stores();
    await store.create('r-old', 'sync', testBinding(), T0);
    await store.create('r-new', 'sync', testBinding(), T0 + 10);
    await store.create('r-mid', 'sync', testBinding(), T0 + 5);
    expect(await store.list()).toEqual(['r-new', 'r-mid', 'r-old']);
    expect(await store.list(2)).toEqual(['r-new', 'r-mid']);
  });

  it('sets startedAt on running and endedAt on an end state', async () => {
    const { store } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await store.setStatus('r1', 'running', { now: T0 + 100 });
    await store.setStatus('r1', 'completed', { now: T0 + 900 });
    const run = await store.get('r1');
    expect(run?.status).toBe('completed');
    expect(run?.startedAt).toBe(T0 + 100);
    expect(run?.endedAt).toBe(T0 + 900);
    expect(run?.error).toBeUndefined();
  });

  it('adds counter deltas from several workers without losing any', async () => {
    const { store, other } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? store : other).incr('r1', { listed: 10, created: 1, apiCalls: i % 3 === 0 ? 1 : 0 }),
      ),
    );
    await store.incr('r1', {});
    await store.incr('r1', { updated: 0 });
    // One counter alone (the guard's call count) goes its own, shorter way.
    await Promise.all([store.incr('r1', { apiCalls: 1 }), other.incr('r1', { apiCalls: 2, updated: 0 })]);
    const c = (await store.get('r1'))!.counters;
    expect(c).toEqual({ ...zeroCounters(), listed: 200, created: 20, apiCalls: 10 });
  });

  it('counts pending jobs down as they finish, and a repeated finish is harmless', async () => {
    const { store, other } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await store.addPending('r1', ['j1', 'j2', 'j3']);
    await store.addPending('r1', []);
    expect(await store.pendingCount('r1')).toBe(3);
    expect(await store.donePending('r1', 'j1')).toBe(2);
    // A job retried by BullMQ after it already finished once must not count twice.
    expect(await other.donePending('r1', 'j1')).toBe(2);
    expect(await store.donePending('r1', 'unknown')).toBe(2);
    expect((await store.get('r1'))?.pendingJobs).toBe(2);
    expect(await store.donePending('r1', 'j2')).toBe(1);
    expect(await other.donePending('r1', 'j3')).toBe(0);
    expect(await store.pendingCount('r1')).toBe(0);
  });

  it('registering the same job twice keeps one pending entry', async () => {
    const { store } = stores();
    await store.addPending('r1', ['j1', 'j1']);
    await store.addPending('r1', ['j1']);
    expect(await store.pendingCount('r1')).toBe(1);
  });

  it('lets exactly one of many concurrent callers claim finalization', async () => {
    const { store, other } = stores();
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).claimFinalize('r1')),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claimFinalize('r1')).toBe(false);
    // The claim is per run.
    expect(await store.claimFinalize('r2')).toBe(true);
  });

  it('iterates every delete candidate exactly by key, over many HSCAN pages', async () => {
    const { store } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    const entries = Array.from({ length: 1300 }, (_, i) => ({
      key: `k/${i} ü🎉`,
      member: `k/${i} ü🎉\0meta-${i}\tE\t1\t2`,
    }));
    // In two calls, as two scan pages would add them.
    await store.addDeleteCandidates('r1', entries.slice(0, 700));
    await store.addDeleteCandidates('r1', entries.slice(700));
    await store.addDeleteCandidates('r1', []);
    expect((await store.get('r1'))?.deleteCandidates).toBe(1300);

    const seen = new Map<string, string>();
    let batches = 0;
    for await (const batch of store.deleteCandidates('r1')) {
      batches++;
      expect(batch.length).toBeGreaterThan(0);
      for (const e of batch) seen.set(e.key, e.member);
    }
    expect(batches).toBeGreaterThan(1);
    expect(seen.size).toBe(1300);
    for (const e of entries) expect(seen.get(e.key)).toBe(e.member);
  });

  it('keeps the latest member when a key is added as a candidate twice', async () => {
    const { store } = stores();
    await store.addDeleteCandidates('r1', [{ key: 'a', member: 'a\0m1\tE\t1\t1' }]);
    await store.addDeleteCandidates('r1', [{ key: 'a', member: 'a\0m2\tE\t1\t1' }]);
    const all: Array<{ key: string; member: string }> = [];
    for await (const batch of store.deleteCandidates('r1')) all.push(...batch);
    expect(all).toEqual([{ key: 'a', member: 'a\0m2\tE\t1\t1' }]);
  });

  it('yields nothing for a run without delete candidates', async () => {
    const { store } = stores();
    const batches: unknown[] = [];
    for await (const batch of store.deleteCandidates('r1')) batches.push(batch);
    expect(batches).toEqual([]);
  });

  it('recordError keeps the first error and marks the run incomplete', async () => {
    const { store, other } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await store.recordError('r1', 'first: InvalidParameter');
    await other.recordError('r1', 'second: Forbidden');
    const run = await store.get('r1');
    expect(run?.error).toBe('first: InvalidParameter');
    expect(run?.complete).toBe(false);
  });

  it('markIncomplete clears the complete flag only', async () => {
    const { store } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await store.markIncomplete('r1');
    const run = await store.get('r1');
    expect(run?.complete).toBe(false);
    expect(run?.status).toBe('queued');
    expect(run?.error).toBeUndefined();
  });

  it('cleanup drops the working sets and keeps the run record', async () => {
    const { store, keys } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await store.addPending('r1', ['j1']);
    await store.addDeleteCandidates('r1', [{ key: 'a', member: 'a\0m\tE\t1\t1' }]);
    await store.cleanup('r1');
    expect(await redis.exists(keys.runPending('r1'), keys.runDone('r1'), keys.runDeletes('r1'))).toBe(0);
    const run = await store.get('r1');
    expect(run?.runId).toBe('r1');
    expect(run?.pendingJobs).toBe(0);
    expect(run?.deleteCandidates).toBe(0);
    // The reaper no longer looks at it.
    expect(await store.activeRuns()).toEqual([]);
  });

  it('lists every run not yet finalized, however many runs came after it', async () => {
    const { store } = stores();
    for (let i = 0; i < 60; i++) await store.create(`r${i}`, 'sync', testBinding(), T0 + i);
    for (let i = 1; i < 60; i++) await store.cleanup(`r${i}`);
    // r0 is the oldest of 60 runs: the newest 50 would not include it.
    expect(await store.activeRuns()).toEqual(['r0']);
  });

  it('keeps every key of a run under the hash-tagged prefix (one Redis Cluster slot)', async () => {
    const { store, keys } = stores();
    await store.create('r1', 'sync', testBinding(), T0);
    await store.addPending('r1', ['j1']);
    await store.addDeleteCandidates('r1', [{ key: 'a', member: 'a\0m\tE\t1\t1' }]);
    await store.claimFinalize('r1');
    const written = await redis.keys(`${keys.prefix}*`);
    expect(written.sort()).toEqual(
      [
        keys.run('r1'),
        keys.runs(),
        keys.activeRuns(),
        keys.runPending('r1'),
        keys.runDeletes('r1'),
        keys.runFinalizing('r1'),
        keys.bindingSpec(testBinding().bindingId),
      ].sort(),
    );
    for (const k of written) expect(k.startsWith(`${keys.prefix}:ops:`)).toBe(true);
  });
});
