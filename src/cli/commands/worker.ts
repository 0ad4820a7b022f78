// `oss-pai-sync worker`: long-running workers. Start any number of these processes on any number of machines.
import { addRedisFlags, addVerbFlags, redisFromCommand } from '../flags.ts';
import { Command } from 'commander';
import { startWorkers, WORKER_KINDS, type WorkerKind } from '../../sync/workers.ts';
import { UsageError } from '../fail.ts';
import { onShutdown, openServices } from '../runtime.ts';

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
  const cmd = new Command('worker')
    .description(
      'run scan, sync and control workers until stopped (SIGINT/SIGTERM finish the jobs in hand, then exit)',
    )
    .option('--once', 'exit when the queues are drained (including delayed retries)');
  addVerbFlags(cmd, 'worker');
  addRedisFlags(cmd);
  return cmd.action(
    async (o: {
      once?: boolean;
      kinds: string;
      maxQueuedJobs: number;
      scanConcurrency: number;
      syncConcurrency: number;
      controlConcurrency: number;
      lockDurationMs: number;
      metricsPort?: number;
      metricsHost: string;
    }) => {
      const kinds = o.kinds.split(',').map((k) => k.trim()) as WorkerKind[];
      const bad = kinds.filter((k) => !WORKER_KINDS.includes(k));
      if (bad.length > 0) {
        throw new UsageError(`--kinds: unknown worker kind(s) ${bad.join(', ')}; use scan, sync, control`);
      }
      // prom-client and the metrics server only with --metrics-port: about 3 MB of RSS that a worker without
      // a scrape target would carry for nothing (bench/BENCHMARKS.md, "Idle worker RSS").
      const prom =
        o.metricsPort === undefined
          ? undefined
          : (await import('../../telemetry/prometheus.ts')).createPrometheusMetrics();
      const services = await openServices(redisFromCommand(cmd), {
        defaultLogLevel: 'info',
        maxQueuedSyncJobs: o.maxQueuedJobs,
        ...(prom ? { metrics: prom.metrics } : {}),
      });
      prom?.watch({
        queues: [services.scanQueue, services.syncQueue, services.controlQueue],
        deadLetters: () => services.dead.count(),
      });
      const metricsServer =
        prom && o.metricsPort !== undefined
          ? await (
              await import('../../telemetry/metrics-server.ts')
            ).startMetricsServer(prom, { host: o.metricsHost, port: o.metricsPort })
          : undefined;
      if (metricsServer) process.stderr.write(`metrics on ${metricsServer.url}/metrics\n`);
      const pool = startWorkers(services, {
        kinds,
        scanConcurrency: o.scanConcurrency,
        syncConcurrency: o.syncConcurrency,
        controlConcurrency: o.controlConcurrency,
        lockDurationMs: o.lockDurationMs,
      });
      const stop = async () => {
        await metricsServer?.close();
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
