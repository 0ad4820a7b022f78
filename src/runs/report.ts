// The run report: what a user (or a script, with --json) reads at the end.
import { describeTarget } from '../sinks/imm/binding-target.ts';
import type { RunRecord } from './run-types.ts';

export interface RunReport {
  runId: string;
  status: RunRecord['status'];
  kind: RunRecord['kind'];
  source: string;
  target: { workspaceId: string; datasetId: string; datasetVersion: string };
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  objectsPerSecond?: number;
  counters: RunRecord['counters'];
  pendingJobs: number;
  /** Rough remaining time of a running multi-partition run, from the share of key ranges finished. */
  etaSeconds?: number;
  error?: string;
}

/**
 * Seconds left of a multi-range run, counting the objects still to be written, not only the ranges still to
 * be listed: the total is projected from the share of ranges listed, what is left is that total minus the
 * objects already settled, at the run's average rate so far. A run that speeds up settles objects faster
 * than the average, so the estimate falls; it never waits for the last range to say "done".
 */
export function estimateEtaSeconds(run: RunRecord, now = Date.now()): number | undefined {
  const c = run.counters;
  if (run.status !== 'running' || c.partitions <= 1 || c.partitionsDone === 0) return undefined;
  const settled = c.unchanged + c.created + c.updated + c.rejected + (c.skipped ?? 0) + (c.vanished ?? 0);
  const elapsedS = (now - (run.startedAt ?? run.createdAt)) / 1000;
  if (settled === 0 || elapsedS <= 0) return undefined;
  const total =
    c.partitionsDone >= c.partitions
      ? c.listed
      : Math.max(c.listed, (c.listed * c.partitions) / c.partitionsDone);
  return Math.round(Math.max(0, total - settled) / (settled / elapsedS));
}

export function buildReport(run: RunRecord, now = Date.now()): RunReport {
  const s = run.binding.source;
  const start = run.startedAt ?? run.createdAt;
  const end = run.endedAt ?? now;
  const durationMs = Math.max(0, end - start);
  return {
    runId: run.runId,
    status: run.status,
    kind: run.kind,
    source: `oss://${s.bucket}/${s.prefix}`,
    target: {
      workspaceId: run.binding.target.workspaceId,
      datasetId: run.binding.target.datasetId,
      datasetVersion: run.binding.target.datasetVersion,
    },
    startedAt: new Date(start).toISOString(),
    ...(run.endedAt ? { endedAt: new Date(run.endedAt).toISOString() } : {}),
    durationMs,
    ...(durationMs > 0 ? { objectsPerSecond: Math.round((run.counters.listed * 1000) / durationMs) } : {}),
    counters: run.counters,
    pendingJobs: run.pendingJobs,
    ...(estimateEtaSeconds(run, now) !== undefined ? { etaSeconds: estimateEtaSeconds(run, now)! } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

export function formatReport(r: RunReport): string {
  const c = r.counters;
  const lines = [
    `run ${r.runId} ${r.status}  ${r.source} -> ${describeTarget(r.target.datasetId, r.target.datasetVersion)}`,
    `  listed ${c.listed}  unchanged ${c.unchanged}  created ${c.created}  updated ${c.updated}  deleted ${c.deleted}`,
    `  retried ${c.retried}  rejected ${c.rejected}  skipped ${c.skipped}  vanished ${c.vanished}  pages ${c.pages}  api calls ${c.apiCalls}`,
    `  ${((r.durationMs ?? 0) / 1000).toFixed(1)} s${r.objectsPerSecond !== undefined ? `, ${r.objectsPerSecond} objects/s` : ''}`,
  ];
  if (c.partitions > 1)
    lines.push(
      `  key ranges ${c.partitionsDone}/${c.partitions}${r.etaSeconds !== undefined ? `, about ${r.etaSeconds} s left` : ''}`,
    );
  if (c.duplicatesRemoved > 0)
    lines.push(`  ${c.duplicatesRemoved} duplicate record(s) found after lost answers and deleted`);
  if (r.error) lines.push(`  error: ${r.error}`);
  if (c.rejected > 0)
    lines.push('  rejected items are in the dead-letter queue: oss-pai-sync dead-letter list');
  return lines.join('\n');
}

export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
