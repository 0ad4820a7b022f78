// The runs page of `oss-pai-sync dashboard`: recent runs (binding, kind, status, counters, progress, ETA) and
// the dead-letter list with reasons, as one server-rendered HTML page (no script; it refreshes itself).
// Pure: rendered from reports, table-tested in test/unit/dashboard/runs-page.test.ts.
import type { RunReport } from '../runs/report.ts';
import type { DeadLetter } from '../runs/dead-letter.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** "1,234 listed" or, for a run split into key ranges, "3/8 ranges, 1,234 listed". */
export function progressText(r: RunReport): string {
  const c = r.counters;
  const listed = `${c.listed.toLocaleString('en-US')} listed`;
  return c.partitions > 1 ? `${c.partitionsDone}/${c.partitions} ranges, ${listed}` : listed;
}

export function etaText(r: RunReport): string {
  if (r.status !== 'running') return '';
  return r.etaSeconds === undefined ? '?' : duration(r.etaSeconds);
}

const COUNTERS = ['created', 'updated', 'deleted', 'unchanged', 'retried', 'rejected'] as const;

export function renderRunsPage(p: {
  runs: readonly RunReport[];
  dead: readonly DeadLetter[];
  deadTotal: number;
  queuesPath: string;
  refreshSeconds?: number;
}): string {
  const rows = p.runs
    .map((r) => {
      const counters = COUNTERS.map((k) => `${k} ${r.counters[k]}`).join(', ');
      return (
        `<tr class="run status-${escapeHtml(r.status)}" data-run-id="${escapeHtml(r.runId)}">` +
        `<td><code>${escapeHtml(r.runId)}</code></td>` +
        `<td>${escapeHtml(r.source)} &rarr; ${escapeHtml(r.target.datasetId)} ${escapeHtml(r.target.datasetVersion)}</td>` +
        `<td>${escapeHtml(r.kind)}</td>` +
        `<td class="status">${escapeHtml(r.status)}${r.error ? `<div class="error">${escapeHtml(r.error)}</div>` : ''}</td>` +
        `<td>${escapeHtml(counters)}</td>` +
        `<td>${escapeHtml(progressText(r))}</td>` +
        `<td>${escapeHtml(etaText(r))}</td>` +
        `<td>${r.startedAt ? escapeHtml(r.startedAt) : ''}</td>` +
        '</tr>'
      );
    })
    .join('\n');
  const dead = p.dead
    .map(
      (d) =>
        `<tr class="dead"><td><code>${escapeHtml(d.item.key)}</code></td><td>${escapeHtml(d.reason)}</td>` +
        `<td><code>${escapeHtml(d.runId)}</code></td><td>${escapeHtml(new Date(d.at).toISOString())}</td></tr>`,
    )
    .join('\n');
  const refresh = p.refreshSeconds ?? 5;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${refresh}">
<title>oss-pai-sync: runs</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f4f4f4; }
.status-completed .status { color: #176f2c; }
.status-failed .status, .error { color: #b00020; }
.status-running .status { color: #0b57d0; }
nav a { margin-right: 1em; }
</style>
</head>
<body>
<nav><a href="./">Runs</a><a href="${escapeHtml(p.queuesPath)}">Queues (Bull Board)</a></nav>
<h1>Runs</h1>
<table id="runs">
<thead><tr><th>run</th><th>binding</th><th>kind</th><th>status</th><th>counters</th><th>progress</th><th>ETA</th><th>started</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="8">no runs yet</td></tr>'}
</tbody>
</table>
<h2>Dead letters (${p.deadTotal})</h2>
<table id="dead-letters">
<thead><tr><th>key</th><th>reason</th><th>run</th><th>at</th></tr></thead>
<tbody>
${dead || '<tr><td colspan="4">none</td></tr>'}
</tbody>
</table>
<p>Refreshes every ${refresh} s. Requeue dead letters with <code>oss-pai-sync dead-letter requeue</code>.</p>
</body>
</html>
`;
}
