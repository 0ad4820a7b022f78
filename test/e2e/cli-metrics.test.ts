// GET /metrics as Prometheus scrapes it: a `worker --metrics-port` process working a real sync (values move:
// objects, API calls, the run, the queues), and the `events serve` receiver counting what it receives.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { startRun, toRunBinding } from '../../src/runs/start-run.ts';
import { waitForRun } from '../../src/runs/wait.ts';
import { EMULATOR_ENV, spawnCli } from '../helpers/cli.ts';
import { testCloud, type TestCloud } from '../helpers/cloud.ts';
import { waitFor } from '../helpers/wait-for.ts';

let cloud: TestCloud | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await once(c, 'exit');
    }
  }
  await cloud?.cleanup();
  cloud = undefined;
});

function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${text}`)));
  });
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const scrape = async (url: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
  return res.text();
};

it('worker --metrics-port: names, labels and values moving after a sync', { timeout: 120_000 }, async () => {
  cloud = await testCloud();
  const c = cloud;
  for (let i = 0; i < 250; i++) c.oss.store.putObject(c.bucket, `m/${i}.jpg`, `x${i}`);
  const f = c.flat();
  const worker = spawnCli(
    [
      'worker',
      '--metrics-port',
      '0',
      '--metrics-host',
      '127.0.0.1',
      '--redis-url',
      String(f.redisUrl),
      '--queue-prefix',
      String(f.queuePrefix),
    ],
    EMULATOR_ENV,
  );
  children.push(worker);
  const url = `${(await waitForStderr(worker, /metrics on (http:\/\/\S+)/))[1]}`;

  const before = await scrape(url);
  expect(before).toMatch(/^process_resident_memory_bytes /m);
  expect(value(before, 'oss_pai_sync_queue_jobs{queue="sync",state="waiting"}')).toBe(0);
  expect(value(before, 'oss_pai_sync_runs_total{status="completed"}')).toBeUndefined();

  const config = c.config({ datasetName: 'metrics-ds' });
  const binding = toRunBinding(config, await c.datasetId({ datasetName: 'metrics-ds' }));
  const run = await waitForRun(c.services.runs, await startRun(c.services, binding), { pollMs: 50 });
  expect(run.status).toBe('completed');

  // The run's end is counted by the worker right after it records it: wait for that, not for the clock.
  const after = await waitFor(
    async () => {
      const t = await scrape(url);
      return value(t, 'oss_pai_sync_runs_total{status="completed"}') === 1 ? t : undefined;
    },
    { what: 'the completed run in /metrics' },
  );
  const label = `binding="oss://${c.bucket}/ -> ${binding.target.datasetId}"`;
  expect(value(after, `oss_pai_sync_objects_total{${label},outcome="listed"}`)).toBe(250);
  expect(value(after, `oss_pai_sync_objects_total{${label},outcome="created"}`)).toBe(250);
  expect(value(after, 'oss_pai_sync_api_calls_total{api="CreateDatasetFileMetas",result="ok"}')).toBe(3);
  expect(value(after, 'oss_pai_sync_api_calls_total{api="ListObjects",result="ok"}')).toBeGreaterThanOrEqual(
    1,
  );
  expect(value(after, 'oss_pai_sync_api_call_duration_seconds_count{api="CreateDatasetFileMetas"}')).toBe(3);
  expect(value(after, 'oss_pai_sync_runs_total{status="completed"}')).toBe(1);
  expect(value(after, 'oss_pai_sync_throttled_total')).toBe(0);
  expect(value(after, 'oss_pai_sync_queue_jobs{queue="scan",state="completed"}')).toBeGreaterThanOrEqual(1);
  expect(value(after, 'oss_pai_sync_dead_letters')).toBe(0);
});

it(
  'events serve: GET /metrics on the receiver port counts the events received',
  { timeout: 60_000 },
  async () => {
    cloud = await testCloud();
    const dir = mkdtempSync(`${tmpdir()}/ops-metrics-`);
    writeFileSync(`${dir}/binding.json`, JSON.stringify(cloud.flat({ datasetName: 'ev' })));
    const child = spawnCli(
      [
        'events',
        'serve',
        '--config',
        `${dir}/binding.json`,
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--no-work',
      ],
      { ...EMULATOR_ENV, OSS_PAI_SYNC_EVENTS_SECRET: 's3cret' },
    );
    children.push(child);
    const url = (await waitForStderr(child, /events receiver on (http:\/\/\S+)/))[1]!;
    const unsigned = await fetch(`${url}/events`, { method: 'POST', body: '{"events":[]}' });
    expect(unsigned.status).toBe(401);
    const body = await scrape(`${url}/metrics`);
    expect(value(body, 'oss_pai_sync_events_received_total{result="unauthorized"}')).toBe(1);
    expect(body).toMatch(/^oss_pai_sync_queue_jobs\{queue="control",state="waiting"\} 0$/m);
  },
);
