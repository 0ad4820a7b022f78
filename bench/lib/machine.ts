// The machine a result was taken on, recorded with every result file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memTotalGB: number;
  node: string;
  platform: string;
  redisVersion?: string;
  /** 1-minute load average when the run started (the machine is shared). */
  loadAverageAtStart?: number;
}

/** The product version measured: HEAD, and whether src/ had uncommitted changes (figures then are provisional). */
export function sourceVersion(cwd: string): { commit: string; srcDirty: boolean } {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd }).toString().trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      srcDirty: git('status', '--porcelain', '--', 'src') !== '',
    };
  } catch {
    // A snapshot without .git (git archive): the caller says which commit it is.
    return { commit: process.env.BENCH_COMMIT ?? 'unknown', srcDirty: false };
  }
}

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel,
    memTotalGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
