// The shipped dashboard and alert rules only use metric names the product exposes (a renamed metric must
// not leave a silent dashboard or an alert that can never fire).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { createPrometheusMetrics } from '../../../src/telemetry/prometheus.ts';

const dir = path.resolve(import.meta.dirname, '../../../src/telemetry/grafana');

async function exposedNames(): Promise<Set<string>> {
  const prom = createPrometheusMetrics();
  prom.watch({ queues: [], deadLetters: async () => 0 });
  const names = new Set<string>();
  for (const m of await prom.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram')
      for (const s of ['_bucket', '_count', '_sum']) names.add(`${m.name}${s}`);
  }
  return names;
}

function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:oss_pai_sync|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1]!);
}

it('every dashboard query and alert expression refers to exposed metrics', async () => {
  const names = await exposedNames();
  const dashboard = JSON.parse(readFileSync(`${dir}/dashboard.json`, 'utf8')) as {
    panels: { targets: { expr: string }[] }[];
  };
  const rules = parse(readFileSync(`${dir}/alerts.yml`, 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const exprs = [
    ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
  ];
  expect(exprs.length).toBeGreaterThan(10);
  for (const e of exprs) {
    const used = metricNames(e);
    expect(used.length, e).toBeGreaterThan(0);
    for (const n of used) expect(names, `${n} in ${e}`).toContain(n);
  }
  const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
  expect(alerts).toEqual(
    expect.arrayContaining(['OssPaiSyncRunFailed', 'OssPaiSyncDeadLettersGrowing', 'OssPaiSyncThrottled']),
  );
});
