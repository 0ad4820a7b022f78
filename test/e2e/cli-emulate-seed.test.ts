// `emulate --seed N --seed-key PATTERN --seed-size BYTES` as a user runs it: the bucket is full when
// the endpoints are printed, listable through the real ali-oss client; bad seed flags stop at once.
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import OSS from 'ali-oss';
import { afterEach, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.ts';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
  }
});

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) resolve(text);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${text}`)));
  });
}

const PORTS = ['--oss-port', '0', '--pai-port', '0', '--imm-port', '0'];

it(
  'fills the first bucket with N keys laid out by the pattern, each of the given size',
  { timeout: 60_000 },
  async () => {
    const child = spawnCli([
      'emulate',
      ...PORTS,
      '--bucket',
      'seeded',
      '--seed',
      '2000',
      '--seed-key',
      'photos/d{n/500}/img-{n}.jpg',
      '--seed-size',
      '5',
    ]);
    children.push(child);
    const out = await waitForOutput(child, /credentials:/);
    expect(out).toMatch(
      /seeded 2000 objects of 5 bytes into seeded \(photos\/d0\/img-0000\.jpg \.\. photos\/d3\/img-1999\.jpg\)/,
    );
    const endpoint = /OSS emulator: +(http:\/\/\S+)/.exec(out)![1]!;
    const oss = new OSS({
      accessKeyId: 'emulator-ak',
      accessKeySecret: 'emulator-secret',
      bucket: 'seeded',
      endpoint,
      region: 'oss-cn-hangzhou',
      authorizationV4: true,
    } as OSS.Options);
    const folders = await oss.listV2({ prefix: 'photos/', delimiter: '/', 'max-keys': '1000' } as never, {});
    expect(folders.prefixes).toEqual(['photos/d0/', 'photos/d1/', 'photos/d2/', 'photos/d3/']);
    const page = await oss.listV2({ prefix: 'photos/d3/', 'max-keys': '1000' } as never, {});
    expect(page.objects).toHaveLength(500);
    expect(page.objects[0]).toMatchObject({ name: 'photos/d3/img-1500.jpg', size: 5 });
    const head = await oss.head('photos/d1/img-0999.jpg');
    expect((head.res.headers as Record<string, string>)['content-length']).toBe('5');
  },
);

it.each([
  [['--seed', '10'], /--seed needs a --bucket/],
  [['--seed', '10', '--bucket', 'b', '--seed-key', 'same.bin'], /needs \{n\}/],
])('refuses %j with one line and starts nothing', async (args, says) => {
  const res = await runCli(['emulate', ...PORTS, ...args]);
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(says);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stdout).not.toMatch(/OSS emulator:/);
});
