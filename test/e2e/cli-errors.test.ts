// Bad input gets one clear error, no stack trace, exit code 1.
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

it('invalid config reports every problem at once', async () => {
  const res = await runCli([
    'sync',
    '--bucket',
    'Bad_Bucket',
    '--batch-max-items',
    '500',
    '--prefix',
    '/abs',
    '--redis-url',
    'http://x',
  ]);
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/Invalid configuration/);
  expect(res.stderr).toMatch(/bucket \(--bucket\): must be 3-63 characters/);
  expect(res.stderr).toMatch(/batchMaxItems \(--batch-max-items\)/);
  expect(res.stderr).toMatch(/prefix \(--prefix\): must not start with "\/"/);
  expect(res.stderr).toMatch(/redisUrl \(--redis-url\): must start with redis:\/\//);
  expect(res.stderr).toMatch(/workspaceId \(--workspace-id\): is required/);
  expect(res.stderr).not.toMatch(/\n\s+at /);
});

it('a config file with a typo names the unknown option', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/ops-cfg-`);
  writeFileSync(`${dir}/c.yaml`, 'bucket: my-bucket\nworkspaceId: ws\ndatasetId: d-1\nbatchMaxItem: 10\n');
  const res = await runCli(['sync', '--config', `${dir}/c.yaml`]);
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/batchMaxItem: unknown option/);
});

it('unreachable Redis gives one clear line', async () => {
  const res = await runCli(
    [
      'sync',
      '--bucket',
      'my-bucket',
      '--workspace-id',
      'ws',
      '--dataset-id',
      'd-1',
      '--redis-url',
      'redis://127.0.0.1:1',
    ],
    { env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b' } },
  );
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*--redis-url/);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
});
