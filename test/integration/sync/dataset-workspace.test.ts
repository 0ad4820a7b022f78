// A --dataset-id of another workspace is refused at start, naming both workspaces, before anything runs.
import { afterEach, expect, it } from 'vitest';
import { DatasetError, resolveDatasetId } from '../../../src/runs/start-run.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

it('refuses a dataset that belongs to another workspace, naming both', async () => {
  cloud = await testCloud();
  const foreign = cloud.pai.store.createDataset({
    Name: 'theirs',
    WorkspaceId: 'ws-other',
    Edition: 'ADVANCED',
  });
  const config = cloud.config({ datasetId: foreign });
  const api = await cloud.services.makeDatasetApi({ ...config.target, datasetId: foreign }, config.source);
  const err = await resolveDatasetId(cloud.services, api, config).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetError);
  expect((err as Error).message).toContain(
    `belongs to workspace ws-other, not to workspace ${cloud.workspaceId}`,
  );
  // A dataset of the binding's own workspace is accepted.
  const own = cloud.pai.store.createDataset({
    Name: 'ours',
    WorkspaceId: cloud.workspaceId,
    Edition: 'ADVANCED',
  });
  await expect(resolveDatasetId(cloud.services, api, cloud.config({ datasetId: own }))).resolves.toBe(own);
});

it('a --dataset-name binding whose Redis lost the name -> id memo finds its dataset again: no second dataset, nothing written twice', async () => {
  cloud = await testCloud();
  const c = cloud;
  for (let i = 0; i < 30; i++) c.oss.store.putObject(c.bucket, `n/${i}.txt`, `v${i}`);
  c.startWorkers();
  expect((await c.sync()).counters.created).toBe(30);
  const first = await c.datasetId();
  const creates = () => c.pai.stats.calls.CreateDataset ?? 0;
  expect(creates()).toBe(1);

  // What a new or flushed Redis looks like: no memo, no state.
  const redis = c.services.redis;
  const lost = await redis.keys(`${c.services.keys.prefix}:ops:*`);
  await redis.del(...lost);

  expect(await c.datasetId()).toBe(first);
  expect(creates()).toBe(1);
  const again = await c.sync();
  expect(again.counters).toMatchObject({ created: 0, updated: 0, unchanged: 30 });
});

it('several datasets of that name in the workspace: refused, naming them', async () => {
  cloud = await testCloud();
  const ids = [1, 2].map(() =>
    cloud!.pai.store.createDataset({ Name: 'twice', WorkspaceId: cloud!.workspaceId, Edition: 'ADVANCED' }),
  );
  const config = cloud.config({ datasetName: 'twice' });
  const api = await cloud.services.makeDatasetApi({ ...config.target, datasetId: '' }, config.source);
  const err = await resolveDatasetId(cloud.services, api, config).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetError);
  expect((err as Error).message).toContain(`2 datasets are named "twice"`);
  for (const id of ids) expect((err as Error).message).toContain(id);
});
