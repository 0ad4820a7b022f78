// Bad input through the CLI, as a user types it: one clear line naming the flag, exit code 1, and nothing
// connects (Redis is pointed at a closed port, so a verb that got as far as connecting would say so instead).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, expect, it } from 'vitest';
import { bindingFlags, testCloud, type TestCloud } from '../helpers/cloud.ts';
import { redisUrl } from '../helpers/redis.ts';
import { EMULATOR_ENV, runCli } from '../helpers/cli.ts';

const CLOSED = ['--redis-url', 'redis://127.0.0.1:1'];
const BINDING = ['--bucket', 'my-bucket', '--workspace-id', 'ws', '--dataset-id', 'd-1', ...CLOSED];
const ENV = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b' };

const dir = mkdtempSync(`${tmpdir()}/ops-bad-`);
const bindingFile = `${dir}/binding.yaml`;
writeFileSync(bindingFile, 'bucket: my-bucket\nworkspaceId: ws\ndatasetId: d-1\n');

const CASES: Array<[string, string[], RegExp]> = [
  [
    'events serve --port 70000',
    ['events', 'serve', '--config', bindingFile, '--port', '70000'],
    /--port .*must be from 0 to 65535, got 70000/,
  ],
  [
    'events serve --debounce-ms -5',
    ['events', 'serve', '--config', bindingFile, '--debounce-ms', '-5'],
    /--debounce-ms .*must be from 0/,
  ],
  [
    'events serve --host http://x',
    ['events', 'serve', '--config', bindingFile, '--host', 'http://0.0.0.0'],
    /--host .*expected a host name or IP address/,
  ],
  [
    'worker --sync-concurrency 0',
    ['worker', '--sync-concurrency', '0', ...CLOSED],
    /--sync-concurrency .*must be from 1 to 256, got 0/,
  ],
  [
    'worker --lock-duration-ms abc',
    ['worker', '--lock-duration-ms', 'abc', ...CLOSED],
    /--lock-duration-ms .*expected a whole number/,
  ],
  [
    'worker --max-queued-jobs 0',
    ['worker', '--max-queued-jobs', '0', ...CLOSED],
    /--max-queued-jobs .*must be from 1/,
  ],
  [
    'backfill --depth -1',
    ['backfill', ...BINDING, '--depth', '-1'],
    /--depth .*must be from 0 to 16, got -1/,
  ],
  [
    'backfill --workers 100',
    ['backfill', ...BINDING, '--workers', '100'],
    /--workers .*must be from 0 to 64/,
  ],
  ['status --limit abc', ['status', '--limit', 'abc', ...CLOSED], /--limit .*expected a whole number/],
  [
    'dead-letter list --limit -1',
    ['dead-letter', 'list', '--limit', '-1', ...CLOSED],
    /--limit .*must be from 1/,
  ],
  [
    'sync --oss-endpoint ftp://',
    ['sync', ...BINDING, '--oss-endpoint', 'ftp://oss.example.com'],
    /ossEndpoint \(--oss-endpoint\): must be an http:\/\/ or https:\/\/ URL/,
  ],
  [
    'sync --oss-endpoint javascript:',
    ['sync', ...BINDING, '--oss-endpoint', 'javascript:alert(1)'],
    /ossEndpoint \(--oss-endpoint\): must be an http:\/\/ or https:\/\/ URL/,
  ],
  [
    'sync --pai-endpoint http://host:port',
    ['sync', ...BINDING, '--pai-endpoint', 'http://127.0.0.1:9091'],
    /paiEndpoint \(--pai-endpoint\): must be host\[:port\].*--pai-protocol/,
  ],
];

// Concurrent: each case is a separate process start, and they are independent.
it.concurrent.each(CASES)(
  '%s: one clear line naming the flag, exit 1, nothing connects',
  async (_name, args, message) => {
    const res = await runCli(args, { env: { ...ENV, OSS_PAI_SYNC_EVENTS_SECRET: 's' } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/Redis/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stdout).toBe('');
  },
);

it('a config typo gets one line with "did you mean", naming the flag, and no second error for it', async () => {
  const file = `${dir}/typo.yaml`;
  writeFileSync(file, 'bucket: my-bucket\nworkpaceId: ws\ndatasetId: d-1\n');
  const res = await runCli(['sync', '--config', file, ...CLOSED], { env: ENV });
  expect(res.code).toBe(1);
  expect(res.stderr).toBe(
    'oss-pai-sync: Invalid configuration:\n  - workpaceId: unknown option; did you mean workspaceId (--workspace-id)?\n',
  );
});

it('status, dead-letter list, schedule list and run take Redis from --config', async () => {
  const closedFile = `${dir}/closed.yaml`;
  writeFileSync(closedFile, 'redisUrl: redis://127.0.0.1:1\nqueuePrefix: "{cfg-test}"\n');
  const verbs = [['status'], ['dead-letter', 'list'], ['schedule', 'list'], ['run', 'cancel', 'r1']];
  const results = await Promise.all(verbs.map((args) => runCli([...args, '--config', closedFile])));
  results.forEach((res, i) => {
    const name = verbs[i]!.join(' ');
    expect(res.code, name).toBe(1);
    // The URL of the file, not the default 127.0.0.1:6379.
    expect(res.stderr, name).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 /);
  });
  const liveFile = `${dir}/live.yaml`;
  writeFileSync(liveFile, `redisUrl: ${redisUrl()}\nqueuePrefix: "{cfg-${process.pid}}"\n`);
  const ok = await runCli(['status', '--config', liveFile]);
  expect(ok.stderr).toBe('');
  expect(ok.stdout).toBe('no runs yet\n');
  expect(ok.code).toBe(0);
});

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

it('an OSS endpoint where nothing listens fails at once, naming --oss-endpoint', async () => {
  cloud = await testCloud();
  const flags = bindingFlags(cloud).map((f) =>
    f === String(cloud!.flat().ossEndpoint) ? 'http://127.0.0.1:1' : f,
  );
  const res = await runCli(['sync', ...flags, '--dataset-name', 'x'], { env: EMULATOR_ENV });
  expect(res.code).toBe(1);
  expect(res.stderr).toBe(
    'oss-pai-sync: cannot reach OSS at http://127.0.0.1:1 (check --oss-endpoint): ECONNREFUSED\n',
  );
  // Nothing was started: no run record.
  expect(await cloud.services.runs.list(10)).toEqual([]);
});

it('a wrong secret is named as such, for OSS and for PAI, without the raw signature text', async () => {
  // PAI knows the key id with another secret: OSS accepts the CLI's key, PAI refuses it.
  cloud = await testCloud({
    pai: { credentials: [{ accessKeyId: 'emulator-ak', accessKeySecret: 'the-real-secret' }] },
  });
  const [oss, pai] = await Promise.all([
    runCli(['sync', ...bindingFlags(cloud), '--dataset-name', 'x'], {
      env: { ...EMULATOR_ENV, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong' },
    }),
    runCli(['sync', ...bindingFlags(cloud), '--dataset-name', 'x'], { env: EMULATOR_ENV }),
  ]);
  expect(oss.code).toBe(1);
  expect(oss.stderr).toBe(
    'oss-pai-sync: OSS: the access key secret was refused (check ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_ACCESS_KEY_ID)\n',
  );
  expect(pai.code).toBe(1);
  expect(pai.stderr).toBe(
    'oss-pai-sync: PAI: the access key secret was refused (check ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_ACCESS_KEY_ID)\n',
  );
  expect(await cloud.services.runs.list(10)).toEqual([]);
});
