// Metrics in the Prometheus text format with prom-client: the default process metrics plus the product's.
// Counters where a rate is what people alert on; the queue figures are read from BullMQ (getJobCounts) at
// scrape time, so they are right whichever process moved the jobs.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from './metrics.ts';

export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'paused'];

export interface PrometheusMetrics {
  metrics: Metrics;
  registry: Registry;
  /** The /metrics body and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** The queues (and dead-letter count) read at scrape time; set once the services exist. */
  watch(w: { queues: readonly CountableQueue[]; deadLetters?: () => Promise<number> }): void;
}

export function createPrometheusMetrics(): PrometheusMetrics {
  let queues: readonly CountableQueue[] = [];
  let deadLetters: (() => Promise<number>) | undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const p = 'oss_pai_sync_';
  const objects = new Counter({
    name: `${p}objects_total`,
    help: 'Objects by binding and outcome (listed, unchanged, created, updated, deleted, retried, rejected)',
    labelNames: ['binding', 'outcome'],
    registers: [registry],
  });
  const apiCalls = new Counter({
    name: `${p}api_calls_total`,
    help: 'Calls to PAI and OSS by API and result (ok, throttled, transient, fatal)',
    labelNames: ['api', 'result'],
    registers: [registry],
  });
  const apiDuration = new Histogram({
    name: `${p}api_call_duration_seconds`,
    help: 'Duration of calls to PAI and OSS',
    labelNames: ['api'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const throttled = new Counter({
    name: `${p}throttled_total`,
    help: 'Calls answered Throttling (the whole deployment waits out the retry-after)',
    registers: [registry],
  });
  const runs = new Counter({
    name: `${p}runs_total`,
    help: 'Runs ended, by status (completed, failed, cancelled)',
    labelNames: ['status'],
    registers: [registry],
  });
  const events = new Counter({
    name: `${p}events_received_total`,
    help: 'OSS events received: accepted / ignored (events), or a refused delivery by reason',
    labelNames: ['result'],
    registers: [registry],
  });
  new Gauge({
    name: `${p}queue_jobs`,
    help: 'Jobs in each BullMQ queue by state (from getJobCounts at scrape time)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(queues.map((q) => q.getJobCounts(...QUEUE_STATES)));
      queues.forEach((q, i) => {
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[i]?.[state] ?? 0);
      });
    },
  });
  new Gauge({
    name: `${p}dead_letters`,
    help: 'Items in the dead-letter list (rejected or retried too often)',
    registers: [registry],
    async collect() {
      if (deadLetters) this.set(await deadLetters());
    },
  });
  const metrics: Metrics = {
    objects: (binding, outcome, n) => objects.inc({ binding, outcome }, n),
    apiCall(api, result, seconds) {
      apiCalls.inc({ api, result });
      apiDuration.observe({ api }, seconds);
      if (result === 'throttled') throttled.inc();
    },
    runEnded: (status) => runs.inc({ status }),
    eventsReceived: (result, n) => events.inc({ result }, n),
  };
  return {
    metrics,
    registry,
    watch(w) {
      queues = w.queues;
      deadLetters = w.deadLetters;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
