// The Prometheus side of the Metrics port: names, labels and values, and the adapter seam classifying every
// call by result (a fake DatasetApi at the interface seam: the real flow is in test/e2e/cli-metrics.test.ts).
import { expect, it } from 'vitest';
import type { DatasetApi } from '../../../src/pai/dataset-api.ts';
import { ApiCallError } from '../../../src/pai/errors.ts';
import { instrumentDatasetApi } from '../../../src/telemetry/instrument.ts';
import { createPrometheusMetrics } from '../../../src/telemetry/prometheus.ts';

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('exposes default process metrics and the product counters with their labels', async () => {
  const prom = createPrometheusMetrics();
  prom.watch({
    queues: [{ name: 'sync', getJobCounts: async () => ({ waiting: 7, active: 2 }) }],
    deadLetters: async () => 3,
  });
  prom.metrics.objects('oss://b/p/ -> d-1', 'created', 5);
  prom.metrics.objects('oss://b/p/ -> d-1', 'created', 2);
  prom.metrics.runEnded('completed');
  prom.metrics.eventsReceived('accepted', 4);
  const { body, contentType } = await prom.render();
  expect(contentType).toMatch(/^text\/plain/);
  expect(body).toMatch(/^process_cpu_user_seconds_total /m);
  expect(body).toMatch(/^nodejs_heap_size_used_bytes /m);
  expect(value(body, 'oss_pai_sync_objects_total{binding="oss://b/p/ -> d-1",outcome="created"}')).toBe(7);
  expect(value(body, 'oss_pai_sync_runs_total{status="completed"}')).toBe(1);
  expect(value(body, 'oss_pai_sync_events_received_total{result="accepted"}')).toBe(4);
  expect(value(body, 'oss_pai_sync_queue_jobs{queue="sync",state="waiting"}')).toBe(7);
  expect(value(body, 'oss_pai_sync_queue_jobs{queue="sync",state="delayed"}')).toBe(0);
  expect(value(body, 'oss_pai_sync_dead_letters')).toBe(3);
  expect(body).toMatch(/^# TYPE oss_pai_sync_api_call_duration_seconds histogram$/m);
});

it('times every API call and classifies its result; Throttling also counts in throttled_total', async () => {
  const prom = createPrometheusMetrics();
  const answers: Array<() => Promise<unknown>> = [
    async () => ({ status: true, failed: [], succeeded: [] }),
    async () => {
      throw new ApiCallError('throttled', 'CreateDatasetFileMetas: Throttling.User', 'Throttling.User', 100);
    },
    async () => {
      throw new ApiCallError('fatal', 'CreateDatasetFileMetas: bad', 'InvalidParameter');
    },
  ];
  const fake = {
    createFileMetas: () => answers.shift()!(),
  } as unknown as DatasetApi;
  const api = instrumentDatasetApi(fake, prom.metrics);
  const t = { workspaceId: 'w', datasetId: 'd', datasetVersion: 'v1' };
  await api.createFileMetas(t, []);
  await expect(api.createFileMetas(t, [])).rejects.toThrow(/Throttling/);
  await expect(api.createFileMetas(t, [])).rejects.toThrow(/bad/);
  const { body } = await prom.render();
  for (const result of ['ok', 'throttled', 'fatal'])
    expect(value(body, `oss_pai_sync_api_calls_total{api="CreateDatasetFileMetas",result="${result}"}`)).toBe(
      1,
    );
  expect(value(body, 'oss_pai_sync_throttled_total')).toBe(1);
  expect(value(body, 'oss_pai_sync_api_call_duration_seconds_count{api="CreateDatasetFileMetas"}')).toBe(3);
});
