// Commander's usage errors as the CLI's one line (src/cli/usage.ts).
import { expect, it } from 'vitest';
import { usageLine } from '../../../src/cli/usage.ts';

it.each([
  [
    "error: unknown option '--bogus'\n",
    'sync',
    "oss-pai-sync: sync: unknown option '--bogus' (run `oss-pai-sync sync --help` for its usage)",
  ],
  [
    "error: unknown option '--dataset-nme'\n(Did you mean --dataset-name?)\n",
    'sync',
    "oss-pai-sync: sync: unknown option '--dataset-nme'; did you mean --dataset-name? (run `oss-pai-sync sync --help` for its usage)",
  ],
  [
    "error: option '--scan-concurrency <n>' argument '0' is invalid. must be from 1 to 256, got 0\n",
    'worker',
    "oss-pai-sync: worker: --scan-concurrency '0': must be from 1 to 256, got 0 (run `oss-pai-sync worker --help` for its usage)",
  ],
  [
    "error: option '--fingerprint <mode>' argument 'nope' is invalid. Allowed choices are etag, crc64, content-md5.\n",
    'sync',
    "oss-pai-sync: sync: --fingerprint 'nope': allowed choices are etag, crc64, content-md5 (run `oss-pai-sync sync --help` for its usage)",
  ],
  [
    "error: option '--port <n>' argument missing\n",
    'events serve',
    'oss-pai-sync: events serve: --port needs a value (--port <n>) (run `oss-pai-sync events serve --help` for its usage)',
  ],
  [
    "error: required option '--cron <expr>' not specified\n",
    'schedule add',
    'oss-pai-sync: schedule add: --cron <expr> is required (run `oss-pai-sync schedule add --help` for its usage)',
  ],
  [
    "error: missing required argument 'runId'\n",
    'run pause',
    'oss-pai-sync: run pause: missing the <runId> argument (run `oss-pai-sync run pause --help` for its usage)',
  ],
  [
    "error: too many arguments for 'sync'. Expected 0 arguments but got 1.\n",
    'sync',
    'oss-pai-sync: sync: too many arguments (expected 0, got 1) (run `oss-pai-sync sync --help` for its usage)',
  ],
  [
    "error: unknown command 'frob'\n",
    '',
    "oss-pai-sync: unknown command 'frob' (run `oss-pai-sync --help` for the commands)",
  ],
  [
    'error: something commander adds later\nover two lines\n',
    'status',
    'oss-pai-sync: status: something commander adds later over two lines (run `oss-pai-sync status --help` for its usage)',
  ],
])('%j in %j', (text, verb, line) => {
  expect(usageLine(text, verb)).toBe(line);
});
