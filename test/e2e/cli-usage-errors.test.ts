// Usage errors of every verb, as a user types them: ONE line `oss-pai-sync: <verb>: <what> (run
// `oss-pai-sync <verb> --help` for its usage)`, exit code 1, nothing on stdout, no stack, nothing connects.
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { VERBS } from '../../src/cli/verbs.ts';

const CLOSED = ['--redis-url', 'redis://127.0.0.1:1'];

// Every leaf verb with a flag it does not have.
const UNKNOWN_FLAG: Array<[string, string[]]> = [
  ['sync', []],
  ['backfill', []],
  ['worker', []],
  ['status', []],
  ['run pause', ['r1']],
  ['run resume', ['r1']],
  ['run cancel', ['r1']],
  ['schedule add', ['n', '--cron', '* * * * *']],
  ['schedule list', []],
  ['schedule remove', ['n']],
  ['events serve', ['--config', '/nonexistent/binding.yaml']],
  ['dead-letter list', []],
  ['dead-letter requeue', []],
  ['state rebuild', []],
  ['verify', []],
  ['query', ["FileType='image'"]],
  ['dashboard', []],
  ['emulate', []],
  ['demo', []],
];

const CASES: Array<[string, string, string[], RegExp]> = [
  ...UNKNOWN_FLAG.map(([verb, args]): [string, string, string[], RegExp] => [
    `${verb} --bogus`,
    verb,
    [...verb.split(' '), ...args, '--bogus', ...CLOSED],
    /unknown option '--bogus'/,
  ]),
  ['sync --dataset-nme', 'sync', ['sync', '--dataset-nme', 'x'], /did you mean --dataset-name\?/],
  [
    'sync --fingerprint nope',
    'sync',
    ['sync', '--fingerprint', 'nope'],
    /--fingerprint 'nope': allowed choices are etag, crc64, content-md5/,
  ],
  ['sync extra word', 'sync', ['sync', 'extra'], /too many arguments \(expected 0, got 1\)/],
  [
    'worker --scan-concurrency 0',
    'worker',
    ['worker', '--scan-concurrency', '0'],
    /--scan-concurrency '0': must be from 1 to 256, got 0/,
  ],
  ['events serve --port', 'events serve', ['events', 'serve', '--port'], /--port needs a value/],
  [
    'schedule add without --cron',
    'schedule add',
    ['schedule', 'add', 'nightly'],
    /--cron <expr> is required/,
  ],
  ['run pause without a run id', 'run pause', ['run', 'pause'], /missing the <runId> argument/],
  ['query without an expression', 'query', ['query'], /missing the <expression> argument/],
  ['verify --sample -1', 'verify', ['verify', '--sample', '-1'], /--sample '-1': must be from 0 to 10000/],
  ['run alone', 'run', ['run'], /missing a command: pause, resume or cancel/],
  ['run frob', 'run', ['run', 'frob'], /unknown command 'frob'/],
  ['dead-letter alone', 'dead-letter', ['dead-letter'], /missing a command: list or requeue/],
  ['state alone', 'state', ['state'], /missing a command: rebuild/],
];

it('every verb is in the table', () => {
  const covered = new Set(UNKNOWN_FLAG.map(([verb]) => verb.split(' ')[0]));
  expect(VERBS.map((v) => v.name).filter((v) => !covered.has(v))).toEqual([]);
});

// Concurrent: each case is a separate process start, and they are independent.
it.concurrent.each(CASES)(
  '%s: one line with the verb and what to do, exit 1',
  async (_name, verb, args, what) => {
    const res = await runCli(args, {
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'a', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b' },
    });
    expect(res.stdout).toBe('');
    expect(res.code).toBe(1);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.startsWith(`oss-pai-sync: ${verb}: `)).toBe(true);
    expect(line.endsWith(`(run \`oss-pai-sync ${verb} --help\` for its usage)`)).toBe(true);
    expect(line).toMatch(what);
  },
);

it('an unknown verb: one line pointing at the list of commands', async () => {
  const res = await runCli(['frob']);
  expect(res.code).toBe(1);
  expect(res.stderr).toBe(
    "oss-pai-sync: unknown command 'frob' (run `oss-pai-sync --help` for the commands)\n",
  );
});
