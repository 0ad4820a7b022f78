// CLI plumbing: --version, and a reader that goes away (`dead-letter list | head`) ends the command quietly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
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
