// Progress while a run works: one rewritten line on a terminal, a plain line every few seconds otherwise.
import { estimateEtaSeconds } from '../runs/report.ts';
import type { RunRecord } from '../runs/run-types.ts';

/** A line of other output while a progress line may be showing: clear it first on a terminal. */
export function writeAboveProgress(stream: NodeJS.WriteStream, line: string): void {
  stream.write(stream.isTTY === true ? `\r\x1b[2K${line}\n` : `${line}\n`);
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5_000) {
  const tty = stream.isTTY === true;
  let last = 0;
  let started = Date.now();
  let wrote = false;
  return {
    update(run: RunRecord) {
      const now = Date.now();
      if (!tty && now - last < intervalMs) return;
      last = now;
      started = run.startedAt ?? started;
      const c = run.counters;
      const secs = Math.max(0.001, (now - started) / 1000);
      const rate = Math.round(c.listed / secs);
      const eta = estimateEtaSeconds(run, now);
      const line =
        `${run.status} listed ${c.listed} (${rate}/s)  unchanged ${c.unchanged}  created ${c.created}  updated ${c.updated}` +
        `  deleted ${c.deleted}  retried ${c.retried}  rejected ${c.rejected}  jobs ${run.pendingJobs}` +
        (c.partitions > 1 ? `  ranges ${c.partitionsDone}/${c.partitions}` : '') +
        (eta !== undefined ? `  eta ${eta}s` : '');
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        wrote = true;
      } else stream.write(`${new Date(now).toISOString()} ${line}\n`);
    },
    done() {
      if (tty && wrote) stream.write('\n');
    },
  };
}
