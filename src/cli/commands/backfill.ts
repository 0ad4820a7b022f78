// `oss-pai-sync backfill`: a full sync of a large bucket, split into key ranges listed in parallel, optionally
// by N worker processes started here. Interrupt it and `oss-pai-sync worker` continues where it stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { Command } from 'commander';
import { discoverBoundaries, partitionsFromBoundaries } from '../../triggers/backfill-partitions.ts';
import { addBindingFlags, addVerbFlags, configFromCommand } from '../flags.ts';
import { runVerb } from './sync.ts';
import { cliEntryPath } from '../self-entry.ts';
import { writeAboveProgress } from '../progress.ts';

function spawnWorkers(
  n: number,
  redis: { url: string; prefix: string; cluster: boolean },
  maxQueued: number | undefined,
): ChildProcess[] {
  const extra = maxQueued !== undefined ? ['--max-queued-jobs', String(maxQueued)] : [];
  return Array.from({ length: n }, () =>
    // The URL (which may hold a password) goes through the environment, not the command line `ps` shows.
    forwardAboveProgress(
      spawn(process.execPath, [cliEntryPath(), 'worker', '--queue-prefix', redis.prefix, ...extra], {
        // stderr through this process: a child writing straight to the terminal would land inside the
        // live progress line. Children log warnings only, unless LOG_LEVEL says otherwise.
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
          REDIS_URL: redis.url,
          REDIS_CLUSTER: redis.cluster ? '1' : '0',
        },
      }),
    ),
  );
}

/** Each line a child writes to stderr goes above the progress line (which the next update redraws). */
function forwardAboveProgress(child: ChildProcess, out: NodeJS.WriteStream = process.stderr): ChildProcess {
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) writeAboveProgress(out, `[worker ${child.pid}] ${line}`);
  });
  return child;
}

export function backfillCommand(): Command {
  const cmd = new Command('backfill')
    .description(
      'full sync of a large bucket: split into key ranges (delimiter discovery) listed in parallel',
    )
    .option('--json', 'print the report as one JSON object');
  addVerbFlags(cmd, 'backfill');
  addBindingFlags(cmd);
  cmd.action(async () => {
    const config = configFromCommand(cmd);
    const o = cmd.opts() as {
      workers: number;
      depth: number;
      maxPartitions: number;
      maxQueuedJobs: number;
      json?: boolean;
    };
    // Only a --max-queued-jobs given here overrides the workers' own default.
    const maxQueued = cmd.getOptionValueSource('maxQueuedJobs') === 'cli' ? o.maxQueuedJobs : undefined;
    const workers = o.workers;
    const children = workers > 0 ? spawnWorkers(workers, config.redis, maxQueued) : [];
    try {
      process.exitCode = await runVerb(config, {
        kind: 'backfill',
        json: !!o.json,
        dryRun: false,
        work: workers === 0,
        ...(maxQueued !== undefined ? { maxQueuedSyncJobs: maxQueued } : {}),
        makePartitions: async (cfg, services) => {
          const store = await services.makeObjectStore(cfg.source);
          const boundaries = await discoverBoundaries(store, cfg.source.prefix, {
            depth: o.depth,
            maxPartitions: o.maxPartitions,
          });
          if (!o.json) process.stderr.write(`backfill: ${boundaries.length + 1} key range(s)\n`);
          return partitionsFromBoundaries(boundaries);
        },
      });
    } finally {
      for (const c of children) c.kill('SIGTERM');
    }
  });
  return cmd;
}
