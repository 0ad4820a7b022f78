// `npx tsx bench/events-load.ts --rate 1000 --seconds 60 [--direct] [--workers 2] [--control-concurrency N]
//   [--in-flight 32] [--debounce-ms 1000] [--cpu-prof DIR] [--out NAME]`
// Upload events under a steady load, every part in its own process as a user runs it: the emulators
// (`oss-pai-sync emulate`, whose OSS notifies over signed MNS-style HTTP on every PUT), `events serve --no-work`,
// N `worker` processes and a private redis-server, all from the compiled build (dist/). The harness PUTs
// `rate` objects per second for `seconds` seconds through ali-oss and measures, per object, put -> record:
// the time the PUT was answered to the record's SyncTime in the PAI emulator (set when the record is
// created). Reports p50/p95/p99/max, records/s, the backlog's peak, CPU seconds per process and the load
// average, and checks that every object has exactly one record (none missing, none duplicated).
// `--direct`: the objects are written into the OSS emulator's store in batches (its admin route
// `POST /-/admin/objects/<bucket>`, no PUT per object) and the harness itself sends the notifications, with
// the emulator's notifier (same MNS payload, signature, keep-alive lanes and retries) in its own process.
// Generating 1,000 signed PUTs a second costs about 1.5 CPU-ms per object (ali-oss + the emulator's PUT),
// most of a 2-core machine; direct mode leaves the product's path as it is (receiver -> backlog -> drains
// -> HEAD -> PAI write) and takes the PUTs out. Latency then starts when the batch's write was answered.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import OSS from 'ali-oss';
import { Redis } from 'ioredis';
import { staticCredentials } from '../src/config/credentials.ts';
import { buildConfig } from '../src/config/load.ts';
import { EMULATOR_KEY } from '../src/demo/local-cloud.ts';
import type { AdminObjectsAnswer } from '../src/emulators/oss/admin-objects.ts';
import { EventNotifier } from '../src/emulators/oss/event-notifier.ts';
import { newRequestId } from '../src/emulators/oss/http-util.ts';
import { createOpenApiDatasetApi } from '../src/pai/openapi-dataset-api.ts';
import { Keys } from '../src/queue/keys.ts';
import { eventBindingKey } from '../src/triggers/event-sink.ts';
import { machineInfo, sourceVersion } from './lib/machine.ts';
import { sampleProc } from './lib/proc-stats.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    direct: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: '2' },
    'control-concurrency': { type: 'string' },
    'in-flight': { type: 'string', default: '32' },
    'debounce-ms': { type: 'string', default: '1000' },
    'max-puts-in-flight': { type: 'string', default: '256' },
    'settle-s': { type: 'string', default: '60' },
    'deadline-s': { type: 'string', default: '240' },
    'cpu-prof': { type: 'string' },
    entry: { type: 'string' },
    out: { type: 'string' },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const workerCount = Number(args.workers);
const direct = args.direct === true;
const root = fileURLToPath(new URL('..', import.meta.url));
const entry = args.entry ?? `${root}dist/src/cli/entry.js`;
if (!existsSync(entry)) throw new Error(`oss-pai-sync: ${entry} is missing: run \`npm run build\` first`);

const BUCKET = 'events-load';
const SECRET = 'events-load-secret';
const PREFIX = '{evload}';
const WORKSPACE = 'ws-bench';
const dir = mkdtempSync(`${tmpdir()}/events-load-`);
const log = createWriteStream(`${dir}/processes.log`);
const children: ChildProcess[] = [];
const ENV = {
  ...process.env,
  ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY.accessKeySecret,
  OSS_PAI_SYNC_EVENTS_SECRET: SECRET,
  LOG_LEVEL: 'warn',
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts a process and resolves once `ready` shows on its stdout or stderr (everything goes to the log). */
function start(name: string, cmd: string, argv: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(cmd, argv, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${seen}`)), 60_000);
    const onData = (d: Buffer) => {
      log.write(`[${name}] ${d.toString()}`);
      if (seen.length < 8000) seen += d.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready: ${seen}`));
    });
  });
}

async function stopAll(): Promise<void> {
  for (const c of [...children].reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
// A failed run must not leave its processes behind.
process.on('uncaughtException', (err) => {
  console.error(err);
  void stopAll().then(() => process.exit(1));
});
process.on('unhandledRejection', (err) => {
  console.error(err);
  void stopAll().then(() => process.exit(1));
});

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
}

/** The 1, 5 and 15 minute load averages. */
const loadavg = (): number[] => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

// ---- processes
const redisPort = await freePort();
const ossPort = await freePort();
const paiPort = await freePort();
const eventsPort = await freePort();
const redisUrl = `redis://127.0.0.1:${redisPort}`;
await start(
  'redis',
  'redis-server',
  ['--port', String(redisPort), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
  /Ready to accept connections/,
);
await start(
  'emulators',
  process.execPath,
  [
    entry,
    'emulate',
    '--oss-port',
    String(ossPort),
    '--pai-port',
    String(paiPort),
    '--imm-port',
    '0',
    '--bucket',
    BUCKET,
    '--pai-list-item-fields',
    'doc',
    // Direct mode: the harness notifies (below); the emulator's store writes would not notify anyway.
    ...(direct
      ? []
      : [
          '--events-url',
          `http://127.0.0.1:${eventsPort}/events`,
          '--events-secret',
          SECRET,
          '--events-in-flight',
          String(args['in-flight']),
        ]),
  ],
  /PAI emulator:/,
);
const ossEndpoint = `http://127.0.0.1:${ossPort}`;
const paiEndpoint = `127.0.0.1:${paiPort}`;
const api = createOpenApiDatasetApi({
  endpoint: paiEndpoint,
  region: 'cn-hangzhou',
  protocol: 'http',
  credentials: staticCredentials(EMULATOR_KEY),
});
const datasetId = await api.createDataset({
  workspaceId: WORKSPACE,
  name: 'events-load',
  edition: 'ADVANCED',
  uri: `oss://${BUCKET}/`,
});
const flat = {
  bucket: BUCKET,
  ossEndpoint,
  paiEndpoint,
  paiProtocol: 'http',
  workspaceId: WORKSPACE,
  datasetId,
  redisUrl,
  queuePrefix: PREFIX,
  apiRps: 0,
};
writeFileSync(`${dir}/binding.json`, JSON.stringify(flat));
const bindingId = eventBindingKey(buildConfig(flat, {}, {}));
const backlogKey = new Keys(PREFIX).bindingEvents(bindingId);
const prof = (name: string) =>
  args['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
if (args['cpu-prof']) mkdirSync(args['cpu-prof'], { recursive: true });
const receiver = await start(
  'events',
  process.execPath,
  [
    ...prof('events-serve'),
    entry,
    'events',
    'serve',
    '--config',
    `${dir}/binding.json`,
    '--port',
    String(eventsPort),
    '--debounce-ms',
    String(args['debounce-ms']),
    '--no-work',
  ],
  /events receiver on/,
);
const workers: ChildProcess[] = [];
for (let i = 0; i < workerCount; i++) {
  workers.push(
    await start(
      `worker${i}`,
      process.execPath,
      [
        ...prof(`worker${i}`),
        entry,
        'worker',
        '--redis-url',
        redisUrl,
        '--queue-prefix',
        PREFIX,
        ...(args['control-concurrency'] ? ['--control-concurrency', args['control-concurrency']] : []),
      ],
      /worker \d+ started/,
    ),
  );
}
const cpuAtStart = new Map(children.map((c) => [c.pid!, sampleProc(c.pid!)?.cpuSeconds ?? 0]));
const harnessCpuAtStart = process.cpuUsage();

// ---- load
const redis = new Redis(redisUrl);
const oss = new OSS({
  accessKeyId: EMULATOR_KEY.accessKeyId,
  accessKeySecret: EMULATOR_KEY.accessKeySecret,
  bucket: BUCKET,
  endpoint: ossEndpoint,
  region: 'oss-cn-hangzhou',
} as OSS.Options);
const total = rate * seconds;
const answered = new Float64Array(total);
const keyOf = (i: number) => `up/${String(i).padStart(7, '0')}.bin`;
const body = Buffer.from('events-load body');
// Where the objects between a write and its record are: `notifyPending` not yet delivered to the receiver
// (the sender's queue), `backlog` received and waiting for a drain, the rest in drains and sync jobs.
const samples: Array<{
  t: number;
  notifyPending: number;
  backlog: number;
  created: number;
  putsAnswered: number;
}> = [];
let putsAnswered = 0;
let putErrors = 0;
let inFlight = 0;
let maxInFlight = 0;
const maxPuts = Number(args['max-puts-in-flight']);
// Direct mode's sender: the OSS emulator's own notifier, run here (one lane per in-flight delivery).
const notifier = direct
  ? new EventNotifier({
      url: `http://127.0.0.1:${eventsPort}/events`,
      format: 'mns',
      secret: SECRET,
      maxInFlight: Number(args['in-flight']),
    })
  : undefined;

/** Real mode: one PUT through ali-oss (the emulator notifies), retried as a client would. */
async function putOne(i: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await oss.put(keyOf(i), body);
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

/** Direct mode: objects `from` .. `to - 1` written by one admin call, then notified from here. */
async function writeDirect(from: number, to: number): Promise<void> {
  const keys = Array.from({ length: to - from }, (_, n) => keyOf(from + n));
  const res = await fetch(`${ossEndpoint}/-/admin/objects/${BUCKET}`, {
    method: 'POST',
    body: JSON.stringify({ keys, body: body.toString('utf8') }),
  });
  if (res.status !== 200) throw new Error(`admin write answered ${res.status}: ${await res.text()}`);
  const { region, events } = (await res.json()) as AdminObjectsAnswer;
  const at = Date.now();
  for (const [n, e] of events.entries()) {
    answered[from + n] = at;
    // As the emulator completes a PutObject's event (server.ts): one request id per object.
    notifier!.publish({
      ...e,
      bucket: BUCKET,
      region,
      requestId: newRequestId(),
      sourceIp: '127.0.0.1',
      time: new Date(at),
    });
  }
}

const paiStats = async (): Promise<{ created: number }> => {
  const res = await fetch(`http://${paiEndpoint}/-/admin/stats`);
  return ((await res.json()) as { accepted: { created: number } }).accepted;
};
const loadBefore = loadavg();
const t0 = Date.now();
const notifyPending = async (): Promise<number> => {
  if (notifier) return notifier.pending;
  const res = await fetch(`${ossEndpoint}/-/admin/stats`);
  return ((await res.json()) as { events: { pending: number } }).events.pending;
};
const sampler = setInterval(() => {
  void Promise.all([notifyPending(), redis.zcard(backlogKey), paiStats()]).then(([pending, backlog, s]) =>
    samples.push({ t: Date.now() - t0, notifyPending: pending, backlog, created: s.created, putsAnswered }),
  );
}, 500);
let issued = 0;
let skippedForCap = 0;
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate));
    if (direct && issued < due) {
      // Everything due in one batch, within the same cap on objects in flight.
      const from = issued;
      const to = Math.min(due, issued + Math.max(0, maxPuts - inFlight));
      if (to < due) skippedForCap++;
      if (to > from) {
        issued = to;
        inFlight += to - from;
        maxInFlight = Math.max(maxInFlight, inFlight);
        writeDirect(from, to).then(
          () => {
            putsAnswered += to - from;
            inFlight -= to - from;
          },
          (err: unknown) => {
            console.error(err);
            putErrors += to - from;
            inFlight -= to - from;
          },
        );
      }
    }
    while (!direct && issued < due) {
      if (inFlight >= maxPuts) {
        skippedForCap++;
        break;
      }
      const i = issued++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      putOne(i).then(
        () => {
          answered[i] = Date.now();
          putsAnswered++;
          inFlight--;
        },
        () => {
          putErrors++;
          inFlight--;
        },
      );
    }
    if (issued >= total) {
      clearInterval(tick);
      resolve();
    }
  }, 5);
});
while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
const putsDoneMs = Date.now() - t0;
const loadAtEndOfPuts = loadavg();

// ---- settle: every answered PUT has its record; or nothing moved for settle-s; or deadline-s passed since
// the last PUT (the objects still without a record are then reported as missing, not as lost).
const settleS = Number(args['settle-s']);
const deadline = Date.now() + Number(args['deadline-s']) * 1000;
let lastCreated = -1;
let lastChange = Date.now();
for (;;) {
  const s = await paiStats();
  if (s.created !== lastCreated) {
    lastCreated = s.created;
    lastChange = Date.now();
  }
  if (s.created >= putsAnswered && (await redis.zcard(backlogKey)) === 0) break;
  if (Date.now() - lastChange > settleS * 1000 || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 250));
}
clearInterval(sampler);
const settledMs = Date.now() - t0;
const loadAtEnd = loadavg();
const cpu = children.map((c, i) => ({
  name:
    i === 0
      ? 'redis'
      : i === 1
        ? 'emulators'
        : c === receiver
          ? 'events-serve'
          : `worker${workers.indexOf(c)}`,
  cpuSeconds: Number(((sampleProc(c.pid!)?.cpuSeconds ?? NaN) - (cpuAtStart.get(c.pid!) ?? 0)).toFixed(2)),
  peakRssMB: Math.round(sampleProc(c.pid!)?.peakRssMB ?? NaN),
}));
const harnessCpu = process.cpuUsage(harnessCpuAtStart);
// Who delivered what: the emulator's notifier (real PUTs) or the harness's (direct).
const ossStats = (await (await fetch(`${ossEndpoint}/-/admin/stats`)).json()) as {
  byOperation: Record<string, number>;
  events: Record<string, number> | null;
};
const notifications = notifier ? notifier.counts() : ossStats.events;
notifier?.close();

// ---- read back every record
const target = { workspaceId: WORKSPACE, datasetId, datasetVersion: 'v1' };
const recordTimes = new Map<string, number[]>();
let nextToken: string | undefined;
do {
  const page = await api.listFileMetas(target, { maxResults: 100, ...(nextToken ? { nextToken } : {}) });
  for (const r of page.records) {
    const at = Date.parse(String(r.raw?.SyncTime ?? ''));
    const list = recordTimes.get(r.Uri) ?? [];
    list.push(at);
    recordTimes.set(r.Uri, list);
  }
  nextToken = page.nextToken;
} while (nextToken);

const latencies: number[] = [];
let missing = 0;
let duplicates = 0;
for (let i = 0; i < total; i++) {
  if (!answered[i]) continue;
  const times = recordTimes.get(`oss://${BUCKET}/${keyOf(i)}`);
  if (!times) {
    missing++;
    continue;
  }
  if (times.length > 1) duplicates += times.length - 1;
  latencies.push(Math.max(0, times[0]! - answered[i]!));
}
const strays = [...recordTimes.keys()].filter((u) => !/\/up\/\d{7}\.bin$/.test(u)).length;
latencies.sort((a, b) => a - b);
const firstRecordAt = Math.min(...[...recordTimes.values()].map((t) => t[0]!));
const lastRecordAt = Math.max(...[...recordTimes.values()].map((t) => t[0]!));
// Records per second over the steady part: the last 10-s window and the best 10-s window of the samples.
let best10 = 0;
for (const a of samples)
  for (const b of samples)
    if (b.t - a.t >= 9_500 && b.t - a.t <= 10_500)
      best10 = Math.max(best10, ((b.created - a.created) * 1000) / (b.t - a.t));
const result = {
  when: new Date(t0).toISOString(),
  ...sourceVersion(root),
  machine: machineInfo(),
  mode: direct ? 'direct' : 'put',
  settings: {
    rate,
    seconds,
    workers: workerCount,
    controlConcurrency: args['control-concurrency'] ?? 'default',
    eventsInFlight: Number(args['in-flight']),
    debounceMs: Number(args['debounce-ms']),
  },
  puts: {
    answered: putsAnswered,
    errors: putErrors,
    seconds: putsDoneMs / 1000,
    perSecond: Math.round(putsAnswered / (putsDoneMs / 1000)),
    maxInFlight,
    ticksAtCap: skippedForCap,
  },
  latencyMs: {
    p50: pct(latencies, 0.5),
    p95: pct(latencies, 0.95),
    p99: pct(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
  },
  records: {
    objects: putsAnswered,
    withRecord: latencies.length,
    missing,
    duplicates,
    strays,
    perSecondOverall: Math.round((latencies.length * 1000) / Math.max(1, lastRecordAt - t0)),
    perSecondBest10s: Math.round(best10),
    firstRecordS: (firstRecordAt - t0) / 1000,
    lastRecordS: (lastRecordAt - t0) / 1000,
  },
  notifications,
  ossOperations: ossStats.byOperation,
  backlogPeak: Math.max(0, ...samples.map((s) => s.backlog)),
  notifyPendingPeak: Math.max(0, ...samples.map((s) => s.notifyPending)),
  settledS: settledMs / 1000,
  load: { before: loadBefore, endOfPuts: loadAtEndOfPuts, end: loadAtEnd },
  cpuSeconds: [
    ...cpu,
    {
      name: 'harness',
      cpuSeconds: Number(((harnessCpu.user + harnessCpu.system) / 1e6).toFixed(2)),
      peakRssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    },
  ],
  timeline: samples.filter((_, i) => i % 4 === 0),
  logs: `${dir}/processes.log`,
};
await redis.quit();
await stopAll();
const name =
  args.out ??
  `${new Date(t0).toISOString().slice(0, 10)}-events-load-${direct ? 'direct-' : ''}${rate}x${seconds}`;
mkdirSync(`${root}bench/results`, { recursive: true });
writeFileSync(`${root}bench/results/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
const { timeline: _t, machine: _m, ...shown } = result;
console.log(JSON.stringify(shown, null, 2));
console.log(`written: bench/results/${name}.json`);
