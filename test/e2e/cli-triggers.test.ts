// The trigger verbs and `emulate` as a user runs them.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import OSS from 'ali-oss';
import { afterEach, expect, it } from 'vitest';
import { compareDatasetWithBucket } from '../../src/demo/verify.ts';
import { signBody, SIGNATURE_HEADER } from '../../src/triggers/events/index.ts';
import { EMULATOR_ENV, runCli, spawnCli } from '../helpers/cli.ts';
import { bindingFlags, testCloud, type TestCloud } from '../helpers/cloud.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { ChildProcess } from 'node:child_process';

let cloud: TestCloud | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
  }
  await cloud?.cleanup();
  cloud = undefined;
});

/** Collects a child's stdout until `pattern` shows up. */
function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${text}`)), 120_000);
    child[stream]!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

it('emulate: starts both emulators on free ports, serves the real clients, stops on SIGINT', async () => {
  const child = spawnCli([
    'emulate',
    '--oss-port',
    '0',
    '--pai-port',
    '0',
    '--imm-port',
    '0',
    '--bucket',
    'emu-bucket',
  ]);
  children.push(child);
  const out = await waitForOutput(child, /Ctrl-C stops (both|them all)/);
  const ossEndpoint = /OSS emulator: +(http:\/\/\S+)/.exec(out)![1]!;
  expect(ossEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(ossEndpoint).not.toMatch(/:9090$/);
  const oss = new OSS({
    accessKeyId: 'emulator-ak',
    accessKeySecret: 'emulator-secret',
    bucket: 'emu-bucket',
    endpoint: ossEndpoint,
    region: 'oss-cn-hangzhou',
    authorizationV4: true,
  } as OSS.Options);
  await oss.put('hello.txt', Buffer.from('hello'));
  const listed = await oss.listV2({ 'max-keys': '10' } as never, {});
  expect(listed.objects.map((o) => o.name)).toEqual(['hello.txt']);
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(130);
});

it('emulate: a port in use gives one clear line', async () => {
  const first = spawnCli(['emulate', '--oss-port', '0', '--pai-port', '0', '--imm-port', '0']);
  children.push(first);
  const out = await waitForOutput(first, /Ctrl-C stops (both|them all)/);
  const port = /127\.0\.0\.1:(\d+)/.exec(out)![1]!;
  const res = await runCli(['emulate', '--oss-port', port, '--pai-port', '0', '--imm-port', '0']);
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(new RegExp(`OSS emulator: port ${port} on 127.0.0.1 is already in use`));
});

it('schedule add/list/remove, with validation before anything is stored', async () => {
  cloud = await testCloud();
  const f = cloud.flat();
  const redis = ['--redis-url', String(f.redisUrl), '--queue-prefix', String(f.queuePrefix)];
  const binding = ['--bucket', 'my-bucket', '--workspace-id', 'ws', '--dataset-id', 'd-1', ...redis];
  const [bad, fourFields] = await Promise.all([
    runCli(['schedule', 'add', 'nightly', '--cron', 'not a cron at all', ...binding]),
    runCli(['schedule', 'add', 'nightly', '--cron', '0 2 * *', ...binding]),
  ]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/invalid cron expression "not a cron at all"/);
  expect(fourFields.code).toBe(1);
  expect(fourFields.stderr).toBe(
    'oss-pai-sync: schedule "nightly": the cron expression "0 2 * *" has 4 fields; a cron expression has 5 ' +
      '(minute hour day-of-month month day-of-week, e.g. "0 2 * * *") or 6 with seconds first (e.g. "0 0 2 * * *")\n',
  );
  const invalid = await runCli([
    'schedule',
    'add',
    'nightly',
    '--cron',
    '0 2 * * *',
    '--bucket',
    'BAD',
    ...redis,
  ]);
  expect(invalid.stderr).toMatch(/Invalid configuration/);

  const add = await runCli([
    'schedule',
    'add',
    'nightly',
    '--cron',
    '0 2 * * *',
    '--tz',
    'Asia/Shanghai',
    ...binding,
  ]);
  expect(add.stderr).toBe('');
  expect(add.stdout).toMatch(
    /schedule nightly: 0 2 \* \* \* \(Asia\/Shanghai\) oss:\/\/my-bucket\/, next 20/,
  );
  const list = await runCli(['schedule', 'list', '--json', ...redis]);
  const schedules = JSON.parse(list.stdout) as Array<{ name: string; tz: string; next: string }>;
  expect(schedules).toHaveLength(1);
  expect(schedules[0]).toMatchObject({ name: 'nightly', tz: 'Asia/Shanghai' });
  // 02:00 in Shanghai is 18:00 UTC.
  expect(new Date(schedules[0]!.next).getUTCHours()).toBe(18);
  expect((await runCli(['schedule', 'remove', 'nightly', ...redis])).stdout).toMatch(/removed/);
  expect((await runCli(['schedule', 'list', ...redis])).stdout).toMatch(/no schedules/);
});

it('backfill --workers 2: key ranges, two worker processes, records equal to objects', async () => {
  cloud = await testCloud();
  for (let i = 0; i < 6000; i++)
    cloud.oss.store.putObject(cloud.bucket, `b/d${i % 12}/s${i % 3}/${i}.bin`, `x${i}`);
  const res = await runCli(
    ['backfill', '--workers', '2', '--json', ...bindingFlags(cloud), '--dataset-name', 'bf'],
    { env: EMULATOR_ENV, timeoutMs: 180_000 },
  );
  expect(res.code).toBe(0);
  const report = JSON.parse(res.stdout) as { kind: string; counters: Record<string, number> };
  expect(report.kind).toBe('backfill');
  expect(report.counters.partitions).toBeGreaterThan(10);
  expect(report.counters.created).toBe(6000);
  const datasetId = await cloud.datasetId({ datasetName: 'bf' });
  expect(compareDatasetWithBucket(cloud.oss, cloud.pai, { bucket: cloud.bucket, datasetId }).ok).toBe(true);
});

it('events serve: refuses to start without a secret, answers /healthz, takes a signed delivery', async () => {
  cloud = await testCloud();
  const dir = mkdtempSync(`${tmpdir()}/ops-events-`);
  writeFileSync(`${dir}/binding.json`, JSON.stringify(cloud.flat({ datasetName: 'ev' })));
  const noSecret = await runCli(['events', 'serve', '--config', `${dir}/binding.json`, '--port', '0'], {
    env: { ...EMULATOR_ENV, OSS_PAI_SYNC_EVENTS_SECRET: '' },
  });
  expect(noSecret.code).toBe(1);
  expect(noSecret.stderr).toMatch(/set the shared secret in \$OSS_PAI_SYNC_EVENTS_SECRET/);

  const child = spawnCli(
    [
      'events',
      'serve',
      '--config',
      `${dir}/binding.json`,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--debounce-ms',
      '100',
    ],
    {
      ...EMULATOR_ENV,
      OSS_PAI_SYNC_EVENTS_SECRET: 's3cret',
    },
  );
  children.push(child);
  const banner = await waitForOutput(child, /events receiver on http:\/\/\S+/, 'stderr');
  const url = /events receiver on (http:\/\/\S+)/.exec(banner)![1]!;
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  cloud.oss.store.putObject(cloud.bucket, 'up/new.txt', 'hello');
  const body = Buffer.from(
    JSON.stringify({
      events: [
        {
          eventName: 'ObjectCreated:PutObject',
          eventTime: new Date().toISOString(),
          oss: { bucket: { name: cloud.bucket }, object: { key: 'up/new.txt', size: 5 } },
        },
      ],
    }),
  );
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    body,
    headers: { [SIGNATURE_HEADER]: signBody('s3cret', body) },
  });
  expect(res.status).toBe(204);
  const datasetId = await cloud.datasetId({ datasetName: 'ev' });
  const c = cloud;
  await waitFor(() => c.pai.store.listRecords(datasetId, 'v1').some((r) => r.Uri.endsWith('up/new.txt')), {
    what: 'the record of up/new.txt',
  });
});
