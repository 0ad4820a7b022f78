// A scan job lists several pages with the next request in flight (src/sync/scan-processor.ts). Pages of 100
// keys here (`scanPageSize`), so that a few thousand objects make many pages. The listing requests are seen
// through a wrapper of the object store that records each request's cursor.
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../../src/demo/verify.ts';
import type { ListPageRequest, ObjectStore } from '../../../src/oss/object-store.ts';
import { controlRun } from '../../../src/runs/control.ts';
import { startRun, toRunBinding } from '../../../src/runs/start-run.ts';
import { waitForRun } from '../../../src/runs/wait.ts';
import { testCloud, type TestCloud } from '../../helpers/cloud.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

interface Listings {
  /** The cursor of every listing request, in the order they were sent ('' for the first page). */
  cursors: string[];
  /** Fails the n-th request (1-based) with a connection reset, once. */
  failRequest?: number;
}

/** Routes the workers' listings through a recorder (and, when asked, one failure). */
function recordListings(c: TestCloud): Listings {
  const seen: Listings = { cursors: [] };
  const make = c.services.makeObjectStore.bind(c.services);
  c.services.makeObjectStore = async (source) => {
    const store = await make(source);
    const wrapped: ObjectStore = {
      ...store,
      async listPage(req: ListPageRequest) {
        seen.cursors.push(req.continuationToken ?? req.startAfter ?? '');
        if (seen.cursors.length === seen.failRequest)
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return store.listPage(req);
      },
    };
    return wrapped;
  };
  return seen;
}

function putObjects(c: TestCloud, n: number, dir = 'pg'): void {
  for (let i = 0; i < n; i++)
    c.oss.store.putObject(c.bucket, `${dir}/${String(i).padStart(5, '0')}`, `x${i}`);
}

const jobIds = async (c: TestCloud, queue: 'scanQueue' | 'syncQueue', runId: string) =>
  (await c.services[queue].getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, -1))
    .filter((j) => (j.data as { runId?: string }).runId === runId)
    .map((j) => j.id!)
    .sort();

it('a scan job lists its pages in turn and chains the next job every N pages; one sync job per page', async () => {
  cloud = await testCloud();
  const listings = recordListings(cloud);
  putObjects(cloud, 1000);
  cloud.startWorkers({ scanPageSize: 100, scanPagesPerJob: 3 });
  const run = await cloud.sync({ datasetName: 'pages' });
  expect(run.status).toBe('completed');
  expect(run.counters.pages).toBe(10);
  expect(run.counters.created).toBe(1000);
  // Ten pages, each listed once.
  expect(listings.cursors).toHaveLength(10);
  expect(new Set(listings.cursors).size).toBe(10);
  const id = run.runId;
  expect(await jobIds(cloud, 'scanQueue', id)).toEqual([0, 3, 6, 9].map((p) => `${id}.s.p0.${p}`).sort());
  expect(await jobIds(cloud, 'syncQueue', id)).toEqual(
    Array.from({ length: 10 }, (_, p) => `${id}.y.p0.${p}`).sort(),
  );
});

it('a scan job that fails after its 3rd page resumes at its 4th: no page listed twice before it, no gap, no duplicate', async () => {
  cloud = await testCloud();
  const listings = recordListings(cloud);
  listings.failRequest = 4;
  putObjects(cloud, 1000);
  cloud.startWorkers({ scanPageSize: 100, scanPagesPerJob: 8 });
  const run = await cloud.sync({ datasetName: 'resume' });
  expect(run.status).toBe('completed');
  // 10 pages + the failed request sent again by the retried job, which started there and not at page 0.
  expect(listings.cursors).toHaveLength(11);
  expect(listings.cursors[4]).toBe(listings.cursors[3]);
  expect(new Set(listings.cursors).size).toBe(10);
  expect(run.counters.pages).toBe(10);
  expect(run.counters.listed).toBe(1000);
  // Every object once: one create each, no record missing or doubled.
  expect(cloud.pai.stats.accepted.created).toBe(1000);
  const datasetId = await cloud.datasetId({ datasetName: 'resume' });
  const cmp = compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId });
  expect(cmp.ok).toBe(true);
  const id = run.runId;
  expect(await jobIds(cloud, 'scanQueue', id)).toEqual([`${id}.s.p0.0`, `${id}.s.p0.8`]);
});

async function startListing(c: TestCloud, name: string): Promise<{ runId: string; datasetId: string }> {
  putObjects(c, 3000);
  c.startWorkers({ scanPageSize: 10, scanPagesPerJob: 16 });
  // A listing request takes a while, so that the run is still listing when it is paused or cancelled.
  c.oss.setFaults({ latencyMs: 5 });
  const config = c.config({ datasetName: name });
  const datasetId = await c.datasetId({ datasetName: name });
  const runId = await startRun(c.services, toRunBinding(config, datasetId));
  return { runId, datasetId };
}

const scanIdle = async (c: TestCloud) =>
  (await c.services.scanQueue.getActiveCount()) === 0 && (await c.services.scanQueue.getWaitingCount()) === 0;

it('after `run cancel` returns, at most the one listing request already out is followed by none', async () => {
  cloud = await testCloud();
  const listings = recordListings(cloud);
  const { runId } = await startListing(cloud, 'cancel-listing');
  await waitFor(() => listings.cursors.length >= 20, { what: '20 listing requests' });
  expect(await controlRun(cloud.services, runId, 'cancel')).toBe('cancelled');
  const atCancel = listings.cursors.length;
  await waitFor(() => scanIdle(cloud!), { what: 'no scan job at work or waiting' });
  expect(listings.cursors.length - atCancel).toBeLessThanOrEqual(1);
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 60_000 });
  expect(run.status).toBe('cancelled');
  expect(run.counters.pages).toBeLessThan(300);
});

it('a run paused while listing stops within a page, and resumes without a gap', async () => {
  // No backpressure here: it would drop and re-list pages too.
  cloud = await testCloud({ maxQueuedSyncJobs: 100_000 });
  const listings = recordListings(cloud);
  const { runId, datasetId } = await startListing(cloud, 'pause-listing');
  await waitFor(() => listings.cursors.length >= 20, { what: '20 listing requests' });
  await controlRun(cloud.services, runId, 'pause');
  const atPause = listings.cursors.length;
  const c = cloud;
  await waitFor(
    async () =>
      (await c.services.scanQueue.getActiveCount()) === 0 &&
      (await c.services.scanQueue.getDelayedCount()) > 0,
    { what: 'the scan job postponed' },
  );
  expect(listings.cursors.length - atPause).toBeLessThanOrEqual(1);
  const pausedPages = (await cloud.services.runs.get(runId))!.counters.pages;
  await controlRun(cloud.services, runId, 'resume');
  cloud.oss.setFaults({ latencyMs: 0 });
  const run = await waitForRun(cloud.services.runs, runId, { timeoutMs: 180_000 });
  expect(run.status).toBe('completed');
  expect(pausedPages).toBeLessThan(300);
  expect(run.counters.pages).toBe(300);
  expect(run.counters.created).toBe(3000);
  // The page dropped at the pause is the only one listed twice.
  expect(listings.cursors.length - new Set(listings.cursors).size).toBeLessThanOrEqual(1);
  expect(compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId }).ok).toBe(true);
});
