// The README documents every option and every command the CLI has (they come from one table and one
// program, so a new flag or verb without documentation fails here).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.ts';
import { OPTION_TABLE } from '../../../src/config/options.ts';
import { VERB_OPTION_TABLE } from '../../../src/config/verb-options.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

it('documents every option with its flag and config key', () => {
  for (const o of OPTION_TABLE) {
    const flag = o.name === 'delete' ? '--no-delete' : `--${o.flag}`;
    expect(readme, flag).toContain(`\`${flag}\``);
    expect(readme, o.name).toContain(`\`${o.name}\``);
  }
});

it('documents every verb flag, with the verbs that take it', () => {
  for (const o of VERB_OPTION_TABLE) {
    const row = readme
      .split('\n')
      .find((l) => l.includes(`| \`--${o.flag}\``) && o.verbs.every((v) => l.includes(`\`${v}\``)));
    expect(row, `--${o.flag} (${o.verbs.join(', ')})`).toBeDefined();
  }
});

it('documents every command', async () => {
  for (const c of (await buildProgram()).commands) {
    expect(readme, c.name()).toContain(`oss-pai-sync ${c.name()}`);
  }
});

it('gives exactly the two quick-start commands', () => {
  expect(readme).toContain('npm ci && npx oss-pai-sync demo');
  expect(readme).toMatch(/```sh\nnpm test\n```/);
});
