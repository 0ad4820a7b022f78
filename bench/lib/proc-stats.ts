// Per-process CPU and peak memory from /proc (Linux): utime+stime of /proc/<pid>/stat, VmHWM (the
// kernel's high-water mark of resident memory) of /proc/<pid>/status. Read just before the process exits.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcSample {
  pid: number;
  cpuSeconds: number;
  peakRssMB: number;
  rssMB: number;
}

export function sampleProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces), so utime/stime are the 12th/13th here.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return {
      pid,
      cpuSeconds: ticks / ticksPerSecond(),
      peakRssMB: kb('VmHWM') / 1024,
      rssMB: kb('VmRSS') / 1024,
    };
  } catch {
    return undefined;
  }
}
