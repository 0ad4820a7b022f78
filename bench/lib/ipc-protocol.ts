// Messages between the harness and bench/emulators-process.ts (Node IPC channel, structured clone).
import type { OssStats } from '../../src/emulators/oss/index.ts';
import type { PaiStats, RateWindow } from '../../src/emulators/pai/index.ts';

export interface EmulatorOps {
  start: { args: { bucket: string }; result: { ossEndpoint: string; paiEndpoint: string } };
  seed: { args: { prefix: string; count: number }; result: { seeded: number; ms: number } };
  seedLarge: {
    args: { prefix: string; count: number; bytes: number; file: string };
    result: { seeded: number; ms: number };
  };
  change: {
    args: { prefix: string; count: number; every: number; tag: string };
    result: { changed: number };
  };
  stats: {
    args: Record<string, never>;
    result: { oss: OssStats; pai: PaiStats; cpuSeconds: number; rssMB: number; peakRssMB: number };
  };
  /** Two full GCs, then the heap: what the emulators hold live (the process runs with --expose-gc). */
  heap: {
    args: Record<string, never>;
    result: { heapUsedMB: number; externalMB: number; rssMB: number; peakRssMB: number };
  };
  setPaiLatency: { args: { latencyMs: number }; result: { latencyMs: number } };
  setRps: { args: { rps: number; window?: RateWindow }; result: { rps: number } };
  recordCount: { args: { datasetId: string }; result: { active: number } };
  close: { args: Record<string, never>; result: { ok: true } };
}

export type OpName = keyof EmulatorOps;

export interface Request<K extends OpName = OpName> {
  id: number;
  op: K;
  args: EmulatorOps[K]['args'];
}

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
