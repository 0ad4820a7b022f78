// The CLI entry a process starts to run another copy of this CLI (backfill's worker processes): the compiled
// entry when this module is compiled (dist/src/cli/), the tsx entry when it runs from the sources, so a child
// never pays a transpiler its parent does not, and a checkout without a build still works.
import { fileURLToPath } from 'node:url';

export function cliEntryPath(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSources ? './bin.js' : './entry.js', import.meta.url));
}
