// `oss-pai-sync backfill`: a full sync of a large bucket, split into key ranges listed in parallel, optionally
// by N worker processes started here. Interrupt it and `oss-pai-sync worker` continues where it stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { Command } from 'commander';
import { discoverBoundaries, partitionsFromBoundaries } from '../../triggers/backfill-partitions.ts';
import { addBindingFlags, addVerbFlags, configFromCommand } from '../flags.ts';
import { runVerb } from './sync.ts';
import { cliEntryPath } from '../self-entry.ts';

function spawnWorkers(
  n: number,
  redis: { url: string; prefix: string; cluster: boolean },
  maxQueued: number | undefined,
): ChildProcess[] {
  const extra = maxQueued !== undefined ? ['--max-queued-jobs', String(maxQueued)] : [];
  return Array.from({ length: n }, () =>
    // The URL (which may hold a password) goes through the environment, not the command line `ps` shows.
    spawn(process.execPath, [cliEntryPath(), 'worker', '--queue-prefix', redis.prefix, ...extra], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, REDIS_URL: redis.url, REDIS_CLUSTER: redis.cluster ? '1' : '0' },
    }),
  );
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
