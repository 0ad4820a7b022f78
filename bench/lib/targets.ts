// The targets of issues 5 and 13, evaluated against one result file.
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface SizeFigures {
  n: number;
  /** Absent when the case did not run (`--cases`): its targets are then not checked. */
  rawKeysPerSec?: number;
  /** Case 1b (signed requests, no parse) and 1c (the same with the product's parser): the ceilings. */
  requestOnlyKeysPerSec?: number;
  requestParserKeysPerSec?: number;
  naiveObjectsPerSec?: number;
  fullObjectsPerSec: number;
  /** Full sync: CPU seconds of all workers and of Redis. */
  fullWorkerCpuSeconds: number;
  fullRedisCpuSeconds: number;
  /** Peak RSS of the emulator process (OSS + PAI) over the size's cases, MB. */
  emulatorPeakRssMB?: number;
  incrementalNoneObjectsPerSec?: number;
  maxWorkerPeakRssMB: number;
  stateBytesPerObject: number;
  queueBytes: number;
}

export interface OnceFigures {
  /** Naive vs full with every PAI answer delayed (a network round trip), objects/s. */
  latency?: { ms: number; naive: number; full: number };
  rateEfficiency?: number;
  throttledShare?: number;
  rateCpuHogs?: number;
  /** Case 9. */
  helpMedianMs?: number;
  workerIdleRssMB?: number;
  contentMd5MBps?: number;
  md5sumMBps?: number;
}

const x = (a: number, b: number) => (b > 0 ? a / b : 0);
const f2 = (v: number) => v.toFixed(2);

export function checkTargets(sizes: SizeFigures[], once: OnceFigures): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const s of sizes) {
    if (s.incrementalNoneObjectsPerSec !== undefined && s.rawKeysPerSec !== undefined) {
      const r = x(s.incrementalNoneObjectsPerSec, s.rawKeysPerSec);
      out.push({
        target: `N=${s.n}: incremental (nothing changed) >= 0.8 x raw listing`,
        measured: `${f2(r)} x (${s.incrementalNoneObjectsPerSec} vs ${s.rawKeysPerSec} obj/s)`,
        met: r >= 0.8,
      });
    }
    // Issue 13: the incremental scan against the ceilings measured in the same run.
    if (s.incrementalNoneObjectsPerSec !== undefined && s.requestParserKeysPerSec !== undefined) {
      const r = x(s.incrementalNoneObjectsPerSec, s.requestParserKeysPerSec);
      out.push({
        target: `N=${s.n}: incremental (nothing changed) >= 0.9 x requests + parser ceiling (1c)`,
        measured: `${f2(r)} x (${s.incrementalNoneObjectsPerSec} vs ${s.requestParserKeysPerSec} obj/s)`,
        met: r >= 0.9,
      });
    }
    if (s.incrementalNoneObjectsPerSec !== undefined && s.requestOnlyKeysPerSec !== undefined) {
      const r = x(s.incrementalNoneObjectsPerSec, s.requestOnlyKeysPerSec);
      out.push({
        target: `N=${s.n}: incremental (nothing changed) >= 0.75 x request-only ceiling (1b)`,
        measured: `${f2(r)} x (${s.incrementalNoneObjectsPerSec} vs ${s.requestOnlyKeysPerSec} obj/s)`,
        met: r >= 0.75,
      });
    }
    {
      const w = (s.fullWorkerCpuSeconds * 1e6) / s.n;
      const r = (s.fullRedisCpuSeconds * 1e6) / s.n;
      out.push({
        target: `N=${s.n}: full sync worker CPU <= 30 ms and Redis CPU <= 6 ms per 1,000 objects`,
        measured: `${w.toFixed(1)} / ${r.toFixed(1)} ms`,
        met: w <= 30 && r <= 6,
      });
    }
    if (s.emulatorPeakRssMB !== undefined) {
      out.push({
        target: `N=${s.n}: emulators (OSS + PAI, one process) peak RSS <= 4 GB`,
        measured: `${Math.round(s.emulatorPeakRssMB)} MB`,
        met: s.emulatorPeakRssMB <= 4096,
      });
    }
    if (s.naiveObjectsPerSec !== undefined) {
      const f = x(s.fullObjectsPerSec, s.naiveObjectsPerSec);
      out.push({
        target: `N=${s.n}: full sync >= 3 x naive baseline`,
        measured: `${f2(f)} x (${s.fullObjectsPerSec} vs ${s.naiveObjectsPerSec} obj/s)`,
        met: f >= 3,
      });
    }
    out.push({
      target: `N=${s.n}: worker peak RSS <= 256 MB`,
      measured: `${s.maxWorkerPeakRssMB} MB`,
      met: s.maxWorkerPeakRssMB <= 256,
    });
    out.push({
      target: `N=${s.n}: Redis <= 200 bytes per tracked object (+ bounded queue memory)`,
      measured: `${s.stateBytesPerObject} B/object; queue ${(s.queueBytes / 2 ** 20).toFixed(1)} MiB`,
      met: s.stateBytesPerObject <= 200,
    });
  }
  if (sizes.length > 1) {
    const first = sizes[0]!;
    const last = sizes[sizes.length - 1]!;
    out.push({
      target: `worker RSS flat from N=${first.n} to N=${last.n}`,
      measured: `${first.maxWorkerPeakRssMB} -> ${last.maxWorkerPeakRssMB} MB`,
      met: last.maxWorkerPeakRssMB <= 256 && last.maxWorkerPeakRssMB <= first.maxWorkerPeakRssMB * 1.25,
    });
  }
  if (once.latency) {
    const r = x(once.latency.full, once.latency.naive);
    out.push({
      target: `full sync >= 3 x naive baseline, PAI answers delayed ${once.latency.ms} ms`,
      measured: `${f2(r)} x (${once.latency.full} vs ${once.latency.naive} obj/s)`,
      met: r >= 3,
    });
  }
  if (once.rateEfficiency !== undefined && once.throttledShare !== undefined) {
    out.push({
      target: `rate-limit efficiency >= 0.95 with <= 1% throttled calls (${once.rateCpuHogs ?? 0} CPU hogs)`,
      measured: `${f2(once.rateEfficiency)}, ${(once.throttledShare * 100).toFixed(2)}% throttled`,
      met: once.rateEfficiency >= 0.95 && once.throttledShare <= 0.01,
    });
  }
  if (once.helpMedianMs !== undefined) {
    out.push({
      target: '`oss-pai-sync --help` <= 0.3 s wall',
      measured: `${Math.round(once.helpMedianMs)} ms (median)`,
      met: once.helpMedianMs <= 300,
    });
  }
  if (once.workerIdleRssMB !== undefined) {
    out.push({
      target: 'idle worker RSS <= 80 MB',
      measured: `${once.workerIdleRssMB} MB`,
      met: once.workerIdleRssMB <= 80,
    });
  }
  if (once.contentMd5MBps !== undefined && once.md5sumMBps !== undefined) {
    const r = x(once.contentMd5MBps, once.md5sumMBps);
    out.push({
      target: 'content-md5 >= 0.8 x md5sum',
      measured: `${f2(r)} x (${once.contentMd5MBps} vs ${once.md5sumMBps} MB/s)`,
      met: r >= 0.8,
    });
  }
  return out;
}
