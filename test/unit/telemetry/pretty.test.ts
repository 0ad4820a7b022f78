// Log output: JSON lines for collectors, readable lines on a terminal, always on stderr-like streams.
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { writeAboveProgress } from '../../../src/cli/progress.ts';
import { createLogger } from '../../../src/telemetry/logger.ts';
import { prettyLine } from '../../../src/telemetry/pretty.ts';

function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const p = new PassThrough();
  let text = '';
  p.on('data', (d: Buffer) => (text += d.toString()));
  return { stream: Object.assign(p, { isTTY }) as unknown as NodeJS.WriteStream, text: () => text };
}

it.each([
  [
    {
      level: 30,
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      pid: 1,
      hostname: 'h',
      name: 'oss-pai-sync',
      msg: 'run finished',
      event: 'run.finished',
      runId: 'r1',
      deleted: 0,
    },
    '03:04:05 INFO  run finished event=run.finished runId=r1 deleted=0',
  ],
  [{ level: 40, time: 0, msg: 'event refused', reason: 'a b' }, '00:00:00 WARN  event refused reason="a b"'],
  [{ level: 50, time: 0, msg: 'x', err: { message: 'boom' } }, '00:00:00 ERROR x err={"message":"boom"}'],
])('prettyLine(%o)', (obj, line) => {
  expect(prettyLine(JSON.stringify(obj))).toBe(line);
});

it('prettyLine leaves what is not a JSON object alone', () => {
  expect(prettyLine('plain text')).toBe('plain text');
});

it('the logger writes JSON lines off a terminal and readable lines on one', async () => {
  const off = capture(false);
  createLogger({ level: 'info', stream: off.stream }).info(
    { event: 'run.started', runId: 'r9' },
    'run started',
  );
  const on = capture(true);
  createLogger({ level: 'info', stream: on.stream }).info(
    { event: 'run.started', runId: 'r9' },
    'run started',
  );
  await new Promise((r) => setImmediate(r));
  expect(JSON.parse(off.text())).toMatchObject({
    level: 30,
    msg: 'run started',
    event: 'run.started',
    runId: 'r9',
  });
  expect(on.text()).toMatch(/^\d\d:\d\d:\d\d INFO {2}run started event=run.started runId=r9\n$/);
});

it('a line written above the progress line clears it first on a terminal only', () => {
  const tty = capture(true);
  writeAboveProgress(tty.stream, 'worker says hi');
  expect(tty.text()).toBe('\r\x1b[2Kworker says hi\n');
  const pipe = capture(false);
  writeAboveProgress(pipe.stream, 'worker says hi');
  expect(pipe.text()).toBe('worker says hi\n');
});
