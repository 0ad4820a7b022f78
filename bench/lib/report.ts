// The printed table, the JSON result file and the markdown summary next to it.
import type { SuiteResult } from '../suite.ts';
import type { MachineInfo } from './machine.ts';
import type { TargetCheck } from './targets.ts';

export interface BenchResult {
  date: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  /** If these differ, or src was dirty, the product changed during the run: the figures are not one version's. */
  source: { atStart: { commit: string; srcDirty: boolean }; atEnd: { commit: string; srcDirty: boolean } };
  setup: Record<string, unknown>;
  sizes: SuiteResult[];
  targets: TargetCheck[];
  failures: string[];
  totalSeconds: number;
}

type Row = [string, string, string];

function rows(r: BenchResult): Row[] {
  const out: Row[] = [];
  for (const s of r.sizes) {
    const n = `N=${s.n.toLocaleString('en-US')}`;
    const pr = (label: string, p: SuiteResult['full']) =>
      out.push([
        n,
        label,
        `${p.objectsPerSec} obj/s (${p.seconds} s); PAI writes ${p.paiWriteCalls}; ` +
          `CPU s: workers ${p.workerCpuSeconds}, Redis ${p.redisCpuSeconds}, emulators ${p.emulatorCpuSeconds}; ` +
          `peak RSS ${p.workers.map((w) => w.peakRssMB).join('/')} MB; ` +
          `to Redis ${(((p.redis.inputBytes / Math.max(1, p.listed)) * 1000) / 1024).toFixed(0)} KiB, ` +
          `${((p.redis.commands / Math.max(1, p.listed)) * 1000).toFixed(0)} commands per 1,000 objects`,
      ]);
    const raw = s.rawListing;
    if (raw) {
      out.push([
        n,
        '1. raw listing (ali-oss listV2)',
        `${raw.keysPerSec} keys/s; client CPU ${raw.clientCpuMsPer1000} ms/1000 keys`,
      ]);
      out.push([
        n,
        '1b. same requests, no XML parse',
        `${raw.rawHttp.keysPerSec} keys/s; client CPU ${raw.rawHttp.clientCpuMsPer1000} ms/1000 keys`,
      ]);
      out.push([
        n,
        '1c. same requests, product parser',
        `${raw.rawHttpFastParse.keysPerSec} keys/s; parse of 1 page: xml2js ${raw.parseMsPer1000.xml2js} ms, product parser ${raw.parseMsPer1000.fastReader} ms`,
      ]);
    }
    if (s.naive) {
      out.push([
        n,
        '2. naive baseline',
        `${s.naive.objectsPerSec} obj/s over ${s.naive.objects} objects (${s.naive.calls} calls)`,
      ]);
    }
    out.push([n, 'seeding (emulator store)', `${s.seedSeconds} s`]);
    pr('3. full sync', s.full);
    if (s.incrementalNone) pr('4. incremental, nothing changed', s.incrementalNone);
    if (s.incrementalChanged)
      pr(`5. incremental, 1% changed (${s.incrementalChanged.changedObjects})`, s.incrementalChanged);
    const e = s.emulator;
    const live = e.afterFullSync;
    out.push([
      n,
      '8. emulator process (OSS + PAI)',
      (live
        ? `after the full sync: live heap ${live.heapUsedMB.toFixed(0)} MB + external ${live.externalMB.toFixed(0)} MB ` +
          `(${(((live.heapUsedMB + live.externalMB) * 2 ** 20) / s.n).toFixed(0)} B/object), RSS ${live.rssMB.toFixed(0)} MB; `
        : '') + `peak RSS ${e.peakRssMB} MB; CPU ${e.cpuSeconds} s`,
    ]);
    out.push([
      n,
      '8. Redis memory',
      `state ${s.redisMemory.stateBytesPerObject} B/object; used_memory delta ${s.redisMemory.usedDeltaPerObject} B/object; ` +
        `queues ${(s.redisMemory.queueBytes / 2 ** 20).toFixed(1)} MiB`,
    ]);
    if (s.withLatency) {
      const l = s.withLatency;
      out.push([
        n,
        `2'. naive, PAI answers +${l.latencyMs} ms`,
        `${l.naive.objectsPerSec} obj/s over ${l.naive.objects} objects`,
      ]);
      pr(`3'. full sync, PAI answers +${l.latencyMs} ms`, l.full);
    }
    if (s.rateLimit) {
      const rl = s.rateLimit;
      out.push([
        n,
        `6. rate limit (Q=${rl.rps} req/s, ${rl.rateWindow} window)`,
        `${rl.itemsPerSec} items/s = ${rl.efficiency} of Q x 100; ${rl.paiThrottled} throttled ` +
          `(${(rl.throttledShare * 100).toFixed(2)}%) over ${rl.seconds} s; ${rl.cpuHogs} CPU hogs, ` +
          `load ${rl.loadAverage[0]} -> ${rl.loadAverage[1]}`,
      ]);
    }
    if (s.startup) {
      const st = s.startup;
      out.push([
        n,
        '9. start-up',
        `--help median ${st.helpWallMs.median} ms wall (min ${st.helpWallMs.min}, ${st.helpWallMs.runs.length} runs); ` +
          `idle worker RSS ${st.workerIdleRss.afterIdleMB} MB (${st.workerIdleRss.atStartMB} MB at start)`,
      ]);
    }
    if (s.contentMd5) {
      const m = s.contentMd5;
      out.push([
        n,
        `7. content-md5 (${m.objects} x ${m.bytes / m.objects / 2 ** 20} MiB)`,
        `${m.MBps} MB/s (${m.seconds} s); md5sum ${m.reference.md5sumMBps} MB/s; node md5 ${m.reference.nodeMd5MBps} MB/s`,
      ]);
    }
  }
  return out;
}

export function formatTable(r: BenchResult): string {
  const all = rows(r);
  const w0 = Math.max(...all.map((x) => x[0].length));
  const w1 = Math.max(...all.map((x) => x[1].length));
  const lines = all.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  const targets = r.targets.map((t) => `${t.met ? 'MET   ' : 'MISSED'}  ${t.target}: ${t.measured}`);
  return [...lines, '', ...targets].join('\n');
}

export function formatMarkdown(r: BenchResult): string {
  const m = r.machine;
  return [
    `# Benchmark ${r.date} (${r.mode})`,
    '',
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memTotalGB} GB, ${m.platform}, node ${m.node}` +
      (m.redisVersion ? `, Redis ${m.redisVersion}` : '') +
      `. Total ${Math.round(r.totalSeconds)} s. 1-minute load average at the start: ${m.loadAverageAtStart ?? '?'}.`,
    '',
    `Product: commit ${r.source.atStart.commit}${r.source.atStart.srcDirty ? ' (src modified)' : ''}` +
      (r.source.atEnd.commit !== r.source.atStart.commit ||
      r.source.atEnd.srcDirty !== r.source.atStart.srcDirty
        ? ` -> ${r.source.atEnd.commit}${r.source.atEnd.srcDirty ? ' (src modified)' : ''}: the product changed during the run`
        : ''),
    '',
    `Setup: \`${JSON.stringify(r.setup)}\``,
    '',
    '| size | case | figures |',
    '|---|---|---|',
    ...rows(r).map(([a, b, c]) => `| ${a} | ${b} | ${c} |`),
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...r.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'met' : '**missed**'} |`),
    '',
    ...(r.failures.length ? ['Failures:', '', ...r.failures.map((f) => `- ${f}`), ''] : []),
  ].join('\n');
}
