// `oss-pai-sync backfill`: a full sync of a large bucket, split into key ranges listed in parallel, optionally
// by N worker processes started here. Interrupt it and `oss-pai-sync worker` continues where it stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { discoverBoundaries, partitionsFromBoundaries } from '../../triggers/backfill-partitions.ts';
import { addBindingFlags, configFromCommand } from '../flags.ts';
import { runVerb } from './sync.ts';
import { UsageError } from '../fail.ts';
import { parseMaxQueued } from '../runtime.ts';

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

function spawnWorkers(
  n: number,
  redisUrl: string,
  prefix: string,
  maxQueued: number | undefined,
): ChildProcess[] {
  const extra = maxQueued !== undefined ? ['--max-queued-jobs', String(maxQueued)] : [];
  return Array.from({ length: n }, () =>
    // The URL (which may hold a password) goes through the environment, not the command line `ps` shows.
    spawn(process.execPath, [BIN, 'worker', '--queue-prefix', prefix, ...extra], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, REDIS_URL: redisUrl },
    }),
  );
}

export function backfillCommand(): Command {
  const cmd = new Command('backfill')
    .description(
      'full sync of a large bucket: split into key ranges (delimiter discovery) listed in parallel',
    )
    .option('--workers <n>', 'worker processes to start here (0 = work in this process)', '0')
    .option('--depth <n>', 'how many "/" levels to discover', '2')
    .option('--max-partitions <n>', 'at most this many key ranges', '256')
    .option(
      '--max-queued-jobs <n>',
      'list no further while more sync jobs than this wait (backpressure, default 200)',
    )
    .option('--json', 'print the report as one JSON object');
  addBindingFlags(cmd);
  cmd.action(async () => {
    const config = configFromCommand(cmd);
    const o = cmd.opts() as {
      workers: string;
      depth: string;
      maxPartitions: string;
      maxQueuedJobs?: string;
      json?: boolean;
    };
    const maxQueued = parseMaxQueued(o.maxQueuedJobs);
    const workers = Number(o.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64)
      throw new UsageError('--workers must be 0..64');
    const children =
      workers > 0 ? spawnWorkers(workers, config.redis.url, config.redis.prefix, maxQueued) : [];
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
            depth: Number(o.depth),
            maxPartitions: Number(o.maxPartitions),
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
