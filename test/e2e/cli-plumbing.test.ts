// CLI plumbing: --version, and a reader that goes away (`dead-letter list | head`) ends the command quietly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { startRun, toRunBinding } from '../../src/runs/start-run.ts';
import { EMULATOR_ENV } from '../helpers/cli.ts';
import { testCloud, type TestCloud } from '../helpers/cloud.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { BIN, runCli } from '../helpers/cli.ts';
import { redisUrl, uniquePrefix } from '../helpers/redis.ts';

it('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  const res = await runCli(['--version']);
  expect(res).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
});

/** Runs the CLI with its stdout pipe closed before it writes anything (as `| head` does, only earlier). */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

it.concurrent.each(['dead-letter list', 'status', 'schedule list'])(
  '%s into a closed pipe exits 0 without an EPIPE trace',
  async (verb) => {
    const res = await runWithClosedStdout([
      ...verb.split(' '),
      '--redis-url',
      redisUrl(),
      '--queue-prefix',
      uniquePrefix('pipe'),
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  },
);

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.cleanup();
  cloud = undefined;
});

it('a worker logs the runs it finishes at the default level, as JSON lines on stderr off a terminal', async () => {
  cloud = await testCloud();
  for (let i = 0; i < 20; i++) cloud.oss.store.putObject(cloud.bucket, `w/${i}.txt`, `x${i}`);
  const config = cloud.config({ datasetName: 'logged' });
  const datasetId = await cloud.datasetId({ datasetName: 'logged' });
  const env: NodeJS.ProcessEnv = { ...process.env, ...EMULATOR_ENV };
  delete env.LOG_LEVEL;
  const f = cloud.flat();
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--redis-url', String(f.redisUrl), '--queue-prefix', String(f.queuePrefix)],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  try {
    const runId = await startRun(cloud.services, toRunBinding(config, datasetId));
    const line = await waitFor(
      () =>
        stderr
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { event?: string; runId?: string; status?: string; level?: number })
          .find((l) => l.event === 'run.finished' && l.runId === runId),
      { what: 'the run.finished log line', describe: () => stderr },
    );
    expect(line).toMatchObject({ level: 30, status: 'completed' });
    expect(stdout).toBe('');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});
