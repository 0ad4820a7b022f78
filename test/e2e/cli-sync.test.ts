// The CLI as a user runs it, against the emulators: sync (text, --json, --dry-run, exit codes), status,
// dead-letter list/requeue, state rebuild, worker --once. Credentials come from the environment.
import { afterEach, expect, it } from 'vitest';
import { controlRun } from '../../src/runs/control.ts';
import { startWorkers } from '../../src/sync/workers.ts';
import { EMULATOR_ENV, runCli, spawnCli } from '../helpers/cli.ts';
import { bindingFlags, testCloud, type TestCloud } from '../helpers/cloud.ts';
import { waitFor } from '../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

function flags(c: TestCloud, extra: string[] = []): string[] {
  return [...bindingFlags(c), '--dataset-name', 'cli-dataset', ...extra];
}

const redisFlags = (c: TestCloud) => [
  '--redis-url',
  String(c.flat().redisUrl),
  '--queue-prefix',
  String(c.flat().queuePrefix),
];

it('sync: dry run writes nothing, a real run reports JSON, a second run changes nothing, status shows it', async () => {
  cloud = await testCloud();
  for (let i = 0; i < 1500; i++) cloud.oss.store.putObject(cloud.bucket, `cli/${i}.jpg`, `x${i}`);

  const dry = await runCli(['sync', ...flags(cloud), '--dry-run'], { env: EMULATOR_ENV });
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/would create 1500 {2}update 0 {2}delete 0/);
  expect(cloud.pai.stats.calls.CreateDatasetFileMetas ?? 0).toBe(0);

  const first = await runCli(['sync', ...flags(cloud), '--json'], { env: EMULATOR_ENV });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const report = JSON.parse(first.stdout) as {
    runId: string;
    status: string;
    counters: Record<string, number>;
  };
  expect(report.status).toBe('completed');
  expect(report.counters).toMatchObject({ listed: 1500, created: 1500, rejected: 0 });

  cloud.oss.store.putObject(cloud.bucket, 'cli/new-one.jpg', 'new');
  const dry2 = await runCli(['sync', ...flags(cloud), '--dry-run'], { env: EMULATOR_ENV });
  // The dataset made by name is found again: only the new object would be written.
  expect(dry2.stdout).toMatch(/would create 1 {2}update 0 {2}delete 0 {2}unchanged 1500/);
  cloud.oss.store.deleteObject(cloud.bucket, 'cli/new-one.jpg');

  const second = await runCli(['sync', ...flags(cloud)], { env: EMULATOR_ENV });
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/unchanged 1500 {2}created 0 {2}updated 0 {2}deleted 0/);

  const status = await runCli(['status', report.runId, '--json', ...redisFlags(cloud)]);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ runId: report.runId, status: 'completed' });
  const list = await runCli(['status', ...redisFlags(cloud)]);
  expect(list.stdout.match(/^run r/gm)).toHaveLength(2);
});

it('rejected items: exit code 2, listed in the dead-letter queue with the reason, requeued after the cause is fixed', async () => {
  // ADVANCED capped at 100 records: 30 of 130 objects are refused for good.
  cloud = await testCloud({ pai: { editionCaps: { ADVANCED: 100 } } });
  for (let i = 0; i < 130; i++)
    cloud.oss.store.putObject(cloud.bucket, `cap/${String(i).padStart(3, '0')}.txt`, `x${i}`);
  const res = await runCli(['sync', ...flags(cloud)], { env: EMULATOR_ENV });
  expect(res.code).toBe(2);
  expect(res.stdout).toMatch(/rejected 30/);
  expect(res.stdout).toMatch(/dead-letter list/);

  const dl = await runCli(['dead-letter', 'list', ...redisFlags(cloud)]);
  expect(dl.stdout).toMatch(/^30 dead-lettered item\(s\)/);
  expect(dl.stdout).toMatch(/QuotaExceeded/);

  // Free room, requeue, and let a worker drain it.
  const datasetId = await cloud.datasetId({ datasetName: 'cli-dataset' });
  const victims = cloud.pai.store.listRecords(datasetId, 'v1').slice(0, 30);
  const config = cloud.config({ datasetId });
  const api = await cloud.services.makeDatasetApi({ ...config.target, datasetId }, config.source);
  await api.deleteFileMetas(
    { workspaceId: cloud.workspaceId, datasetId, datasetVersion: 'v1' },
    victims.map((v) => v.DatasetFileMetaId),
  );
  const rq = await runCli(['dead-letter', 'requeue', ...redisFlags(cloud)]);
  expect(rq.stdout).toMatch(/requeued 30 item\(s\) as run r/);
  const worker = await runCli(['worker', '--once', ...redisFlags(cloud)], { env: EMULATOR_ENV });
  expect(worker.code).toBe(0);
  const uris = new Set(cloud.pai.store.listRecords(datasetId, 'v1').map((r) => r.Uri));
  for (let i = 100; i < 130; i++)
    expect(uris.has(`oss://${cloud.bucket}/cap/${String(i).padStart(3, '0')}.txt`)).toBe(true);
  expect((await runCli(['dead-letter', 'list', ...redisFlags(cloud)])).stdout).toMatch(/^0 dead-lettered/);
});

it('state rebuild: after Redis lost the state, the next sync makes no write calls', async () => {
  cloud = await testCloud();
  for (let i = 0; i < 400; i++) cloud.oss.store.putObject(cloud.bucket, `rb/${i}.txt`, `x${i}`);
  const pool = startWorkers(cloud.services);
  await cloud.sync({ datasetName: 'cli-dataset' });
  await pool.close();
  const datasetId = await cloud.datasetId({ datasetName: 'cli-dataset' });
  await cloud.services.redis.del(cloud.services.keys.state(datasetId, 'v1', cloud.bucket));

  // A dry run sees every object as new, and says why and what to do.
  const dry = await runCli(['sync', ...flags(cloud, ['--dataset-id', datasetId]), '--dry-run', '--json'], {
    env: EMULATOR_ENV,
  });
  expect(dry.code).toBe(0);
  expect(JSON.parse(dry.stdout)).toMatchObject({ create: 400, unchanged: 0 });
  expect(dry.stderr).toContain(
    `note: the Redis state of this binding is empty but dataset ${datasetId} already has records`,
  );
  expect(dry.stderr).toContain('A real run rebuilds the state from the dataset first');

  const rebuilt = await runCli(['state', 'rebuild', ...flags(cloud, ['--dataset-id', datasetId])], {
    env: EMULATOR_ENV,
  });
  expect(rebuilt.stderr).toBe('');
  expect(rebuilt.stdout).toMatch(/state rebuilt: 400 record\(s\) kept of 400/);
  const writesBefore =
    (cloud.pai.stats.calls.CreateDatasetFileMetas ?? 0) + (cloud.pai.stats.calls.UpdateDatasetFileMetas ?? 0);
  const again = await runCli(['sync', ...flags(cloud, ['--dataset-id', datasetId]), '--json'], {
    env: EMULATOR_ENV,
  });
  expect(JSON.parse(again.stdout).counters).toMatchObject({ unchanged: 400, created: 0, updated: 0 });
  expect(
    (cloud.pai.stats.calls.CreateDatasetFileMetas ?? 0) + (cloud.pai.stats.calls.UpdateDatasetFileMetas ?? 0),
  ).toBe(writesBefore);

  // Lost again, and this time a real sync straight away: it rebuilds the state itself, says so, writes nothing.
  await cloud.services.redis.del(cloud.services.keys.state(datasetId, 'v1', cloud.bucket));
  const auto = await runCli(['sync', ...flags(cloud, ['--dataset-id', datasetId]), '--json'], {
    env: EMULATOR_ENV,
  });
  expect(auto.code).toBe(0);
  expect(JSON.parse(auto.stdout).counters).toMatchObject({ unchanged: 400, created: 0, updated: 0 });
  expect(auto.stderr).toMatch(/state of this binding is empty but the target already holds records/);
  expect(auto.stderr).toMatch(/state rebuilt from the target: 400 record\(s\) of 400/);
  expect(
    (cloud.pai.stats.calls.CreateDatasetFileMetas ?? 0) + (cloud.pai.stats.calls.UpdateDatasetFileMetas ?? 0),
  ).toBe(writesBefore);
});

it('state rebuild: one clear line when the dataset cannot be named, and refused while a run is active', async () => {
  cloud = await testCloud();
  const unnamed = await runCli(['state', 'rebuild', ...bindingFlags(cloud), '--dataset-name', 'never-made'], {
    env: EMULATOR_ENV,
  });
  expect(unnamed.code).toBe(1);
  expect(unnamed.stderr).toBe(
    'oss-pai-sync: state rebuild needs --dataset-id: no dataset named "never-made" was created through this ' +
      'Redis. Give the id of the dataset whose records the state is rebuilt from (PAI console, or ' +
      '`oss-pai-sync status` of an earlier run).\n',
  );

  // A run holds the binding (started, no worker yet): the rebuild must not swap the state under it.
  const datasetId = await cloud.datasetId({ datasetName: 'cli-dataset' });
  const config = cloud.config({ datasetName: 'cli-dataset' });
  const { startRun, toRunBinding } = await import('../../src/runs/start-run.ts');
  const runId = await startRun(
    cloud.services,
    toRunBinding({ ...config, target: { ...config.target, datasetId } }, datasetId),
  );
  const busy = await runCli(['state', 'rebuild', ...flags(cloud, ['--dataset-id', datasetId])], {
    env: EMULATOR_ENV,
  });
  expect(busy.code).toBe(1);
  expect(busy.stderr).toBe(
    `oss-pai-sync: Another run of this binding is active (${runId}). Wait for it (oss-pai-sync status ${runId}) ` +
      `or cancel it (oss-pai-sync run cancel ${runId}).\n`,
  );
});

it('missing credentials give one clear message', async () => {
  cloud = await testCloud();
  const res = await runCli(['sync', ...flags(cloud)], {
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '', HOME: '/nonexistent' },
  });
  expect(res.code).toBe(1);
  // One sentence, without the SDK's list of every provider it tried (that needs DEBUG=1).
  expect(res.stderr).toBe(
    'oss-pai-sync: No Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ' +
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus ALIBABA_CLOUD_SECURITY_TOKEN for STS), or configure a profile or RAM role.\n',
  );
});

it('a cancelled run ends sync with its own exit code (4), not as a failure', async () => {
  cloud = await testCloud({ pai: { faults: { latencyMs: 100 } } });
  for (let i = 0; i < 3000; i++) cloud.oss.store.putObject(cloud.bucket, `cx/${i}.txt`, `x${i}`);
  const child = spawnCli(['sync', ...flags(cloud), '--batch-max-items', '10', '--api-concurrency', '1'], {
    ...EMULATOR_ENV,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const runId = await waitFor(() => /run (\S+) started/.exec(stderr)?.[1], { what: 'the run to start' });
  expect(await controlRun(cloud.services, runId, 'cancel')).toBe('cancelled');
  expect(await exited).toBe(4);
  expect(stderr).not.toMatch(/\n\s+at /);
});
