// `oss-pai-sync verify` at scale, as a user runs it: N objects seeded in the OSS emulator (its own process),
// one CLI sync to fill the dataset, then `verify --json` timed with /usr/bin/time for wall time and peak RSS.
// Not part of `npm run bench` (it takes minutes): `npx tsx bench/verify-scale.ts [N]` (default 1,000,000).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { provisionRedis } from '../src/queue/redis-provision.ts';
import { startEmulatorProcess } from './lib/emulator-client.ts';
import { MAIN_PREFIX } from './lib/keys.ts';

const n = Number(process.argv[2] ?? 1_000_000);
const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const env = {
  ...process.env,
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'emulator-ak',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'emulator-secret',
};

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const log = (s: string) => process.stderr.write(`[verify-scale] ${s}\n`);
const { REDIS_URL: _ignored, ...noRedisEnv } = process.env;
const redis = await provisionRedis(noRedisEnv);
const emu = await startEmulatorProcess();
try {
  const { ossEndpoint, paiEndpoint } = await emu.call('start', { bucket: 'verify-bench' });
  const seeded = await emu.call('seed', { prefix: MAIN_PREFIX, count: n });
  log(`seeded ${seeded.seeded} objects in ${(seeded.ms / 1000).toFixed(1)} s`);
  const flags = [
    ...['--bucket', 'verify-bench', '--oss-endpoint', ossEndpoint, '--pai-endpoint', paiEndpoint],
    ...['--pai-protocol', 'http', '--workspace-id', 'ws-bench', '--dataset-name', 'verify-bench'],
    ...['--redis-url', redis.url, '--api-rps', '0', '--api-concurrency', '8'],
  ];
  const t0 = performance.now();
  const sync = await run(process.execPath, [BIN, 'sync', ...flags, '--json']);
  if (sync.code !== 0) throw new Error(`sync failed: ${sync.stderr}`);
  log(`synced in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const v = await run('/usr/bin/time', ['-v', process.execPath, BIN, 'verify', ...flags, '--json']);
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(v.stderr)?.[1]);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(v.stderr)?.[1];
  const cpu = /Percent of CPU this job got: (\S+)/.exec(v.stderr)?.[1];
  const result = {
    n,
    exit: v.code,
    counts: JSON.parse(v.stdout) as unknown,
    wall,
    peakRssMB: rssKb / 1024,
    cpu,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await emu.stop();
  await redis.stop();
}
