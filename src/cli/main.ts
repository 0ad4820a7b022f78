// The CLI: a thin shell of verbs (one file each under commands/) over library functions.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { backfillCommand } from './commands/backfill.ts';
import { deadLetterCommand } from './commands/dead-letter.ts';
import { demoCommand } from './commands/demo.ts';
import { emulateCommand } from './commands/emulate.ts';
import { eventsCommand } from './commands/events.ts';
import { runCommand } from './commands/run.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { stateCommand } from './commands/state.ts';
import { statusCommand } from './commands/status.ts';
import { queryCommand } from './commands/query.ts';
import { dashboardCommand } from './commands/dashboard.ts';
import { syncCommand } from './commands/sync.ts';
import { verifyCommand } from './commands/verify.ts';
import { workerCommand } from './commands/worker.ts';
import { reportError } from './fail.ts';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function buildProgram(): Command {
  const program = new Command('oss-pai-sync')
    .description('Keep the file-metadata records of a PAI dataset in step with the objects of an OSS bucket.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)');
  for (const c of [
    syncCommand(),
    backfillCommand(),
    workerCommand(),
    statusCommand(),
    runCommand(),
    scheduleCommand(),
    eventsCommand(),
    deadLetterCommand(),
    stateCommand(),
    verifyCommand(),
    queryCommand(),
    dashboardCommand(),
    emulateCommand(),
    demoCommand(),
  ]) {
    program.addCommand(c);
  }
  return program;
}

/**
 * `oss-pai-sync dead-letter list | head`: once the reader is gone, stop quietly (exit 0) instead of dying
 * with an EPIPE stack trace. Anything else on stdout/stderr is still an error.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}
