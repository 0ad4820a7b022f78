// rebuildState against a real Redis: what it keeps when the target lists a Uri more than once, and how many
// commands it sends (one per listing page, however many records the page holds).
import { afterEach, expect, it } from 'vitest';
import { Keys } from '../../../src/queue/keys.ts';
import type { RunBinding } from '../../../src/runs/run-types.ts';
import type { TargetRecord } from '../../../src/sinks/sink.ts';
import { rebuildState } from '../../../src/sync/state-rebuild.ts';
import { StateStore } from '../../../src/sync/state-store.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';
import { commandsSentBy } from '../../helpers/redis-commands.ts';

const redis = redisClient();
const keys = new Keys(uniquePrefix('rebuild'));
// rebuildState reads only where the state lives: the target's dataset and version, the source's bucket.
const binding = {
  source: { bucket: 'b' },
  target: { datasetId: 'd1', datasetVersion: 'v1' },
} as unknown as RunBinding;
const live = new StateStore(redis, keys.state('d1', 'v1', 'b'));

afterEach(async () => {
  await live.clear();
});

const rec = (key: string, targetId: string): TargetRecord => ({
  key,
  targetId,
  fingerprint: `"${targetId.padEnd(32, '0').toUpperCase()}"`,
  size: 1,
  updateTime: 1_000,
});

async function* pagesOf(pages: TargetRecord[][]): AsyncGenerator<TargetRecord[]> {
  for (const p of pages) yield p;
}

it('keeps the first record of a Uri listed twice, in one page or across pages', async () => {
  const res = await rebuildState(
    { redis, keys },
    binding,
    pagesOf([
      [rec('a', 'a1'), rec('b', 'b1'), rec('a', 'a2')],
      [rec('b', 'b2'), rec('c', 'c1')],
    ]),
  );
  expect(res).toEqual({ records: 5, kept: 3, duplicates: 2 });
  const state = await live.range({});
  expect(state.map((e) => [e.key, e.metaId])).toEqual([
    ['a', 'a1'],
    ['b', 'b1'],
    ['c', 'c1'],
  ]);
  expect(state[0]).toMatchObject({ etag: 'A1'.padEnd(32, '0'), size: 1, lastModified: 1_000 });
});

it('sends one command per listing page, not one per record', async () => {
  const pages = Array.from({ length: 3 }, (_, p) =>
    Array.from({ length: 100 }, (_, i) => rec(`k/${p}/${String(i).padStart(3, '0')}`, `id${p}-${i}`)),
  );
  let res: Awaited<ReturnType<typeof rebuildState>> | undefined;
  const sent = await commandsSentBy(redis, async () => {
    res = await rebuildState({ redis, keys }, binding, pagesOf(pages));
  });
  expect(res).toEqual({ records: 300, kept: 300, duplicates: 0 });
  expect(await live.count()).toBe(300);
  // The temporary key cleared, one script per page, the swap (EVALSHA may come as EVAL the first time).
  expect(sent.filter((c) => c !== 'del' && c !== 'rename')).toHaveLength(3);
  expect(sent.length).toBeLessThanOrEqual(5);
});
