// The verb table (src/cli/verbs.ts) lets the CLI load only the verb it runs. Its help lines must stay what the
// loaded commands say, or `oss-pai-sync --help` would drift from the verbs themselves.
import { expect, it } from 'vitest';
import { Help } from 'commander';
import { buildProgram, programFor } from '../../../src/cli/main.ts';
import { VERBS, verbOf } from '../../../src/cli/verbs.ts';

const argv = (...args: string[]) => ['node', 'oss-pai-sync', ...args];

it('top-level help without loading any verb is the same text as with every verb loaded', async () => {
  const full = await buildProgram();
  const quick = await programFor(argv('--help'));
  expect(quick.helpInformation()).toBe(full.helpInformation());
});

it('every verb of the table loads a command of that name, summary and help term', async () => {
  const help = new Help();
  for (const v of VERBS) {
    const c = await v.load();
    expect(c.name()).toBe(v.name);
    expect(c.description(), v.name).toBe(v.summary);
    expect(help.subcommandTerm(c), v.name).toBe(v.term);
  }
});

it.each([
  [['sync', '--bucket', 'b'], 'sync'],
  [['--help'], undefined],
  [[], undefined],
  [['help', 'status'], 'status'],
  [['state', 'rebuild'], 'state'],
  [['nosuch'], undefined],
])('verbOf(%j) is %s', (args, name) => {
  expect(verbOf(args)?.name).toBe(name);
});

it('the program for a verb loads that verb (its options exist) and only names the others', async () => {
  const p = await programFor(argv('status', '--json'));
  const status = p.commands.find((c) => c.name() === 'status')!;
  const sync = p.commands.find((c) => c.name() === 'sync')!;
  expect(status.options.length).toBeGreaterThan(0);
  expect(sync.options).toHaveLength(0);
});

it('every option of every verb states its default at most once (commander must not repeat the one in the help text)', async () => {
  const full = await buildProgram();
  const all = (c: typeof full): (typeof full)[] => [c, ...c.commands.flatMap(all)];
  let checked = 0;
  for (const c of all(full)) {
    const help = c.createHelp();
    for (const opt of c.options) {
      const text = help.optionDescription(opt);
      expect(text.match(/default/g)?.length ?? 0, `${c.name()} --${opt.name()}: ${text}`).toBeLessThanOrEqual(
        1,
      );
      checked += 1;
    }
  }
  expect(checked).toBeGreaterThan(50);
});
