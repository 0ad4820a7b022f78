// Where upload events go: the keys of each binding are added to its backlog in Redis (durable, deduplicated:
// a key uploaded ten times in a burst is one entry; drained oldest first, see event-backlog.ts), and ONE
// delayed control job per binding drains it after a short debounce window. Never one job per event.
import { createHash } from 'node:crypto';
import type { FlatConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { CONTROL_EVENTS } from '../queue/keys.ts';
import { JOB_RETENTION, type EventsJobData } from '../queue/payloads.ts';
import type { WorkerDeps } from '../sync/context.ts';
import { createKeyFilter, type KeyFilter } from '../sync/key-filter.ts';
import { EventBacklog } from './event-backlog.ts';
import type { EventSink, ObjectEvent } from './events/index.ts';

export interface EventBinding {
  /** Flat config handed to the control job (no secrets). */
  flat: FlatConfig;
  config: Config;
}

interface Matcher {
  key: string;
  binding: EventBinding;
  filter: KeyFilter;
}

/**
 * At most one drain job per binding and window: later events inside the window only join the backlog.
 * (BullMQ throttle-mode deduplication: the id is held for ttl, whatever the job's state.) `now`: a drain that
 * found a full job's worth of keys still waiting starts the next one at once, under its own id, so that
 * drains run side by side while a backlog lasts (each drain adds at most one such job).
 */
export async function scheduleEventsDrain(
  queue: WorkerDeps['controlQueue'],
  data: EventsJobData,
  opts: { now?: boolean } = {},
): Promise<void> {
  await queue.add(CONTROL_EVENTS, data, {
    ...JOB_RETENTION,
    delay: opts.now ? 0 : data.debounceMs,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    deduplication: opts.now
      ? { id: `events.${data.bindingId}.backlog`, ttl: 1 }
      : { id: `events.${data.bindingId}`, ttl: Math.max(1, data.debounceMs) },
  });
}

export function eventBindingKey(c: Config): string {
  const t = c.target;
  return createHash('sha256')
    .update(
      JSON.stringify([
        c.source.bucket,
        c.source.prefix,
        t.workspaceId,
        t.datasetId ?? `name:${t.datasetName}`,
        t.datasetVersion,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}

export function createEventSink(
  deps: Pick<WorkerDeps, 'redis' | 'keys' | 'controlQueue'>,
  bindings: EventBinding[],
  debounceMs: number,
): EventSink {
  const matchers: Matcher[] = bindings.map((b) => ({
    key: eventBindingKey(b.config),
    binding: b,
    filter: createKeyFilter(b.config.source.prefix, b.config.source.include, b.config.source.exclude),
  }));
  const match = (bucket: string, key: string) =>
    matchers.filter(
      (m) =>
        m.binding.config.source.bucket === bucket &&
        key.startsWith(m.binding.config.source.prefix) &&
        m.filter(key),
    );

  // Group commit: deliveries that arrive while a write to Redis is in flight join the next write, so N
  // deliveries in flight cost one backlog add and one drain schedule per binding, not N of each (at 1,000
  // events/s the two calls per delivery were most of the receiver's CPU and Redis's). Each delivery still
  // resolves only once its own keys are in the backlog, and fails (503, redelivered) with the write it joined.
  let next: {
    keys: Map<Matcher, Set<string>>;
    waiters: Array<{ ok: () => void; fail: (e: unknown) => void }>;
  } = { keys: new Map(), waiters: [] };
  let writing = false;

  async function write(batch: typeof next): Promise<void> {
    for (const [m, keys] of batch.keys) {
      // The backlog is the durable queue; the job is only a wake-up call, deduplicated over the window.
      await new EventBacklog(deps.redis, deps.keys.bindingEvents(m.key)).add([...keys]);
      const { redisUrl: _r, queuePrefix: _q, redisCluster: _c, ...flat } = m.binding.flat;
      await scheduleEventsDrain(deps.controlQueue, { bindingId: m.key, config: flat, debounceMs });
    }
  }

  async function flush(): Promise<void> {
    writing = true;
    while (next.waiters.length > 0) {
      const batch = next;
      next = { keys: new Map(), waiters: [] };
      try {
        await write(batch);
        for (const w of batch.waiters) w.ok();
      } catch (err) {
        for (const w of batch.waiters) w.fail(err);
      }
    }
    writing = false;
  }

  return {
    covers: (bucket, key) => match(bucket, key).length > 0,
    accept(events: ObjectEvent[]) {
      const done = new Promise<void>((ok, fail) => next.waiters.push({ ok, fail }));
      for (const e of events) {
        for (const m of match(e.bucket, e.key)) {
          const set = next.keys.get(m) ?? new Set<string>();
          set.add(e.key);
          next.keys.set(m, set);
        }
      }
      if (!writing) void flush();
      return done;
    },
  };
}
