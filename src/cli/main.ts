// The CLI: a thin shell of verbs (one file each under commands/) over library functions. Only the verb being
// run is loaded (see verbs.ts); top-level help is built from the verb table without loading any.
import { readFileSync } from 'node:fs';
import { Command, Help } from 'commander';
import { oneLineUsageErrors } from './usage.ts';
import { VERBS, verbOf } from './verbs.ts';

// package.json is two folders up from src/cli/ and three from the compiled dist/src/cli/.
const PACKAGE_JSON = new URL(
  import.meta.url.endsWith('.ts') ? '../../package.json' : '../../../package.json',
  import.meta.url,
);
const PACKAGE_VERSION = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;

function shell(): Command {
  return new Command('oss-pai-sync')
    .description('Keep the file-metadata records of a PAI dataset in step with the objects of an OSS bucket.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version');
}

/** The whole program, every verb loaded (for documentation checks and tests). */
export async function buildProgram(): Promise<Command> {
  const program = shell();
  for (const v of VERBS) program.addCommand(await v.load());
  return oneLineUsageErrors(program);
}

/** The program argv needs: the named verb loaded, the others as help lines only. */
export async function programFor(argv: readonly string[]): Promise<Command> {
  const program = shell();
  const wanted = verbOf(argv.slice(2));
  const terms = new Map<string, string>();
  for (const v of VERBS) {
    if (v === wanted) {
      program.addCommand(await v.load());
    } else {
      // A stand-in: named and described for help and "unknown command" suggestions, never run, because
      // argv does not name it.
      program.command(v.name).description(v.summary);
      terms.set(v.name, v.term);
    }
  }
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (c) => terms.get(c.name()) ?? standard.subcommandTerm(c) });
  return oneLineUsageErrors(program);
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
    await (await programFor(argv)).parseAsync(argv);
  } catch (err) {
    const { reportError } = await import('./fail.ts');
    process.exitCode = reportError(err);
  }
}
