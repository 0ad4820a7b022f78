// backfill --workers starts copies of the CLI: from the sources the tsx entry, so no build is needed there.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cliEntryPath } from '../../../src/cli/self-entry.ts';

it('from the sources, child processes start the tsx entry src/cli/bin.js', () => {
  const entry = cliEntryPath();
  expect(entry).toBe(path.resolve(import.meta.dirname, '../../../src/cli/bin.js'));
  expect(existsSync(entry)).toBe(true);
});
