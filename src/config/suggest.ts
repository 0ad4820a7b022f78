// "did you mean ...?" for an unknown config key: the closest option name, matched case-insensitively and
// also by its flag spelling (workspace-id -> workspaceId), or nothing when no name is close.
import { OPTION_TABLE, type OptionSpec } from './options.ts';

/** Levenshtein distance, small strings only (option names). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

export function suggestOption(
  name: string,
  table: readonly OptionSpec[] = OPTION_TABLE,
): OptionSpec | undefined {
  const n = norm(name);
  let best: OptionSpec | undefined;
  let bestDistance = Infinity;
  for (const o of table) {
    const d = Math.min(editDistance(n, norm(o.name)), editDistance(n, norm(o.flag)));
    if (d < bestDistance) {
      best = o;
      bestDistance = d;
    }
  }
  // Close enough to be a slip: at most 2 edits, and fewer than a third of the name.
  return best && bestDistance <= Math.min(2, Math.floor(n.length / 3)) ? best : undefined;
}
