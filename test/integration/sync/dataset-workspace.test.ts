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
