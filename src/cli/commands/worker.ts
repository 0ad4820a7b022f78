// `oss-pai-sync worker`: long-running workers. Start any number of these processes on any number of machines.
import { queuePrefixOption, redisUrlOption } from '../flags.ts';
import { Command } from 'commander';
import { startWorkers, WORKER_KINDS, type WorkerKind } from '../../sync/workers.ts';
import { UsageError } from '../fail.ts';
import { onShutdown, openServices, parseMaxQueued, redisTargetFromFlags } from '../runtime.ts';

async function drained(services: Awaited<ReturnType<typeof openServices>>): Promise<boolean> {
  const [scan, sync, control] = await Promise.all([
    services.scanQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    services.syncQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    // Not 'delayed': every cron schedule always has its next tick waiting there.
    services.controlQueue.getJobCounts('waiting', 'active', 'prioritized'),
  ]);
  return [...Object.values(scan), ...Object.values(sync), ...Object.values(control)].every((n) => n === 0);
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'run scan, sync and control workers until stopped (SIGINT/SIGTERM finish the jobs in hand, then exit)',
    )
    .option('--once', 'exit when the queues are drained (including delayed retries)')
    .option('--kinds <list>', 'which queues to work: any of scan,sync,control', 'scan,sync,control')
    .option(
      '--max-queued-jobs <n>',
      'list no further while more sync jobs than this wait (backpressure)',
      '200',
    )
    .option('--scan-concurrency <n>', 'listing pages processed at once by this process', '4')
    .option('--sync-concurrency <n>', 'sync jobs processed at once by this process', '8')
    .option(
      '--lock-duration-ms <ms>',
      'job lock lifetime; jobs of a killed worker are retried after about this long',
      '30000',
    )
    .addOption(redisUrlOption())
    .addOption(queuePrefixOption())
    .action(
      async (o: {
        once?: boolean;
        kinds: string;
        maxQueuedJobs: string;
        scanConcurrency: string;
        syncConcurrency: string;
        lockDurationMs: string;
        redisUrl?: string;
        queuePrefix?: string;
      }) => {
        const kinds = o.kinds.split(',').map((k) => k.trim()) as WorkerKind[];
        const bad = kinds.filter((k) => !WORKER_KINDS.includes(k));
        if (bad.length > 0) {
          throw new UsageError(`--kinds: unknown worker kind(s) ${bad.join(', ')}; use scan, sync, control`);
        }
        const services = await openServices(redisTargetFromFlags(o), {
          maxQueuedSyncJobs: parseMaxQueued(o.maxQueuedJobs)!,
        });
        const pool = startWorkers(services, {
          kinds,
          scanConcurrency: Number(o.scanConcurrency),
          syncConcurrency: Number(o.syncConcurrency),
          lockDurationMs: Number(o.lockDurationMs),
        });
        const stop = async () => {
          await pool.close();
          await services.close();
        };
        onShutdown(stop);
        process.stderr.write(`worker ${process.pid} started (prefix ${services.keys.prefix})\n`);
        if (o.once) {
          // Two idle polls in a row: a job finishing can enqueue the next one in between.
          let idle = 0;
          while (idle < 2) {
            await new Promise((r) => setTimeout(r, 500));
            idle = (await drained(services)) ? idle + 1 : 0;
          }
          await stop();
          process.stderr.write('queues drained\n');
        }
      },
    );
}
