import { expect, it } from 'vitest';
import { escapeHtml, etaText, progressText, renderRunsPage } from '../../../src/dashboard/runs-page.ts';
import type { RunReport } from '../../../src/runs/report.ts';
import { COUNTERS } from '../../../src/runs/run-types.ts';

function report(extra: Partial<RunReport> = {}, counters: Partial<RunReport['counters']> = {}): RunReport {
  return {
    runId: 'r1',
    status: 'running',
    kind: 'backfill',
    source: 'oss://b/p/',
    target: { workspaceId: 'w', datasetId: 'd-1', datasetVersion: 'v1' },
    counters: { ...Object.fromEntries(COUNTERS.map((c) => [c, 0])), ...counters } as RunReport['counters'],
    pendingJobs: 0,
    ...extra,
  };
}

it.each([
  ['one range', report({}, { listed: 1234, partitions: 1 }), '1,234 listed'],
  ['key ranges', report({}, { listed: 5, partitions: 8, partitionsDone: 3 }), '3/8 ranges, 5 listed'],
])('progress: %s', (_n, r, text) => {
  expect(progressText(r)).toBe(text);
});

it.each([
  ['running with an estimate', report({ etaSeconds: 125 }), '2 min 5 s'],
  ['running, no estimate yet', report(), '?'],
  ['over a day is still hours', report({ etaSeconds: 90_000 }), '25 h 0 min'],
  ['ended: none', report({ status: 'completed', etaSeconds: 5 }), ''],
])('ETA: %s', (_n, r, text) => {
  expect(etaText(r)).toBe(text);
});

it('renders runs and dead letters, escaping what users control (keys, reasons, errors)', () => {
  const html = renderRunsPage({
    runs: [report({ status: 'failed', error: '<script>x</script>' }, { created: 7 })],
    dead: [
      {
        runId: 'r1',
        bindingId: 'b',
        item: { key: 'a<b>.jpg', size: 1, etag: 'E', lastModified: 0, op: 'create' },
        reason: 'InvalidParameter & more',
        at: 0,
      },
    ],
    deadTotal: 1,
    queuesPath: '/queues/',
  });
  expect(html).toContain('data-run-id="r1"');
  expect(html).toContain('created 7');
  expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
  expect(html).not.toContain('<script>');
  expect(html).toContain('a&#60;b&#62;.jpg');
  expect(html).toContain('InvalidParameter &#38; more');
  expect(html).toContain('Dead letters (1)');
  expect(escapeHtml(`"'`)).toBe('&#34;&#39;');
});
