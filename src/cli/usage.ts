// Usage errors (an unknown flag, a bad value, a missing argument) in the CLI's own voice: ONE line,
// `oss-pai-sync: <verb>: <what is wrong> (run `oss-pai-sync <verb> --help` ...)`, instead of commander's
// "error: ..." lines. Exit code 1, like every other bad input (README "Commands": 2 already means "completed
// with rejected items" for sync and backfill, so a typo must not look like that to a script).
import type { Command } from 'commander';

/** Pure: commander's error text (e.g. "error: unknown option '--x'\n(Did you mean --y?)") as one line. */
export function usageLine(commanderText: string, verb: string): string {
  let text = commanderText.trim().replace(/^error:\s*/, '');
  // "\n(Did you mean --dataset-name?)" -> "; did you mean --dataset-name?"
  text = text.replace(/\s*\n\(Did you mean (.+)\?\)$/, '; did you mean $1?');
  const flagOf = (flags: string) => flags.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? flags;
  const rules: Array<[RegExp, (...m: string[]) => string]> = [
    [
      /^option '([^']+)' argument '(.*)' is invalid\.\s*(.*)$/s,
      (flags, value, why) => `${flagOf(flags!)} '${value}': ${lowerFirst(why!.replace(/\.$/, ''))}`,
    ],
    [/^option '([^']+)' argument missing$/, (flags) => `${flagOf(flags!)} needs a value (${flags})`],
    [/^required option '([^']+)' not specified$/, (flags) => `${flags} is required`],
    [/^missing required argument '([^']+)'$/, (name) => `missing the <${name}> argument`],
    [
      /^too many arguments(?: for '[^']+')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (expected, got) => `too many arguments (expected ${expected}, got ${got})`,
    ],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(text);
    if (m) {
      text = say(...m.slice(1));
      break;
    }
  }
  const help = verb ? `oss-pai-sync ${verb} --help` : 'oss-pai-sync --help';
  const what = verb ? 'for its usage' : 'for the commands';
  return `oss-pai-sync: ${verb ? `${verb}: ` : ''}${text.replace(/\s*\n\s*/g, ' ')} (run \`${help}\` ${what})`;
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Thrown for a command group run without one of its subcommands (`oss-pai-sync run`). */
function missingSubcommand(cmd: Command, verb: string): string {
  const names = cmd.commands.map((c) => c.name());
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  return usageLine(`missing a command: ${list}`, verb);
}

/**
 * Applies the one-line usage errors to a command and every subcommand (commander copies output settings only
 * to subcommands made with .command(), not to the verbs added with addCommand). A group run without a
 * subcommand says which ones exist instead of printing its whole help as an error.
 */
export function oneLineUsageErrors(cmd: Command, path: readonly string[] = []): Command {
  const verb = path.join(' ');
  cmd.showHelpAfterError(false);
  cmd.configureOutput({ outputError: (text, write) => write(`${usageLine(text, verb)}\n`) });
  if (path.length > 0 && cmd.commands.length > 0) {
    // An action makes commander hand the group's stray words here instead of printing help as an error.
    cmd.allowExcessArguments(true).action(() => {
      const stray = cmd.args[0];
      process.stderr.write(
        `${stray === undefined ? missingSubcommand(cmd, verb) : usageLine(`unknown command '${stray}'`, verb)}\n`,
      );
      process.exitCode = 1;
    });
  }
  for (const sub of cmd.commands) oneLineUsageErrors(sub, [...path, sub.name()]);
  return cmd;
}
