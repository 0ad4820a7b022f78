// The human-readable verify report (--json prints the DriftCounts object itself).
import { inSync, type DriftCounts } from './drift.ts';

export function formatVerify(c: DriftCounts, where: { source: string; target: string }): string {
  const lines = [
    `verify ${where.source} against ${where.target}: ${inSync(c) ? 'IN SYNC' : 'DRIFT'}`,
    `  objects ${c.objects}, records ${c.records}`,
  ];
  const kinds = ['missing', 'orphaned', 'stale', 'duplicates'] as const;
  const what = {
    missing: 'object without record',
    orphaned: 'record without object',
    stale: 'fingerprint or size differs',
    duplicates: 'extra records for one Uri',
  };
  for (const k of kinds) {
    const sample = c.samples[k].map((s) => JSON.stringify(s)).join(', ');
    lines.push(
      `  ${k} ${c[k]} (${what[k]})${c[k] > 0 ? `: ${sample}${c[k] > c.samples[k].length ? ', ...' : ''}` : ''}`,
    );
  }
  return lines.join('\n');
}
