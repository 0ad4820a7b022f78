// Run records in Redis: status, binding, counters, the set of outstanding jobs (completion detection) and
// the delete candidates found by the scan. Nothing a worker needs lives only in process memory.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../queue/keys.ts';
import {
  COUNTERS,
  type Counter,
  type Counters,
  type RunBinding,
  type RunKind,
  type RunRecord,
  type RunStatus,
} from './run-types.ts';

export function newRunId(now = Date.now()): string {
  // Sortable, never all digits, no ':' (BullMQ job-id rules).
  return `r${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

export class RunStore {
  constructor(
    readonly redis: Redis,
    readonly keys: Keys,
  ) {}

  async create(runId: string, kind: RunKind, binding: RunBinding, now = Date.now()): Promise<void> {
    const fields: Record<string, string | number> = {
      runId,
      kind,
      status: 'queued',
      binding: JSON.stringify(binding),
      createdAt: now,
      complete: 1,
    };
    for (const c of COUNTERS) fields[c] = 0;
    await this.redis.multi().hset(this.keys.run(runId), fields).zadd(this.keys.runs(), now, runId).exec();
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const [h, pending, dels] = await Promise.all([
      this.redis.hgetall(this.keys.run(runId)),
      this.redis.scard(this.keys.runPending(runId)),
      this.redis.hlen(this.keys.runDeletes(runId)),
    ]);
    if (!h.runId) return undefined;
    const counters = {} as Counters;
    for (const c of COUNTERS) counters[c] = Number(h[c] ?? 0);
    return {
      runId: h.runId,
      kind: h.kind as RunKind,
      status: h.status as RunStatus,
      binding: JSON.parse(h.binding ?? '{}') as RunBinding,
      createdAt: Number(h.createdAt),
      ...(h.startedAt ? { startedAt: Number(h.startedAt) } : {}),
      ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
      ...(h.error ? { error: h.error } : {}),
      complete: h.complete === '1',
      counters,
      pendingJobs: pending,
      deleteCandidates: dels,
    };
  }

  async status(runId: string): Promise<RunStatus | undefined> {
    return ((await this.redis.hget(this.keys.run(runId), 'status')) ?? undefined) as RunStatus | undefined;
  }

  async binding(runId: string): Promise<RunBinding | undefined> {
    const b = await this.redis.hget(this.keys.run(runId), 'binding');
    return b ? (JSON.parse(b) as RunBinding) : undefined;
  }

  async setStatus(
    runId: string,
    status: RunStatus,
    extra: { error?: string; now?: number } = {},
  ): Promise<void> {
    const now = extra.now ?? Date.now();
    const fields: Record<string, string | number> = { status };
    if (status === 'running') fields.startedAt = now;
    if (status === 'completed' || status === 'failed' || status === 'cancelled') fields.endedAt = now;
    if (extra.error) fields.error = extra.error;
    await this.redis.hset(this.keys.run(runId), fields);
  }

  /** Records the first fatal error of a run; the run ends failed when its last job finishes. */
  async recordError(runId: string, error: string): Promise<void> {
    await this.redis
      .multi()
      .hsetnx(this.keys.run(runId), 'error', error)
      .hset(this.keys.run(runId), 'complete', 0)
      .exec();
  }

  /** Marks that the scan did not cover the whole source (so the sweep must not delete). */
  async markIncomplete(runId: string): Promise<void> {
    await this.redis.hset(this.keys.run(runId), 'complete', 0);
  }

  async incr(runId: string, deltas: Partial<Record<Counter, number>>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, v]) => v);
    if (entries.length === 0) return;
    const multi = this.redis.multi();
    for (const [k, v] of entries) multi.hincrby(this.keys.run(runId), k, v as number);
    await multi.exec();
  }

  /** Registers jobs as outstanding BEFORE they are added, so completion is never seen early. */
  async addPending(runId: string, jobIds: string[]): Promise<void> {
    if (jobIds.length > 0) await this.redis.sadd(this.keys.runPending(runId), ...jobIds);
  }

  /** Removes a finished job; returns how many remain. */
  async donePending(runId: string, jobId: string): Promise<number> {
    const res = await this.redis
      .multi()
      .srem(this.keys.runPending(runId), jobId)
      .scard(this.keys.runPending(runId))
      .exec();
    return Number(res?.[1]?.[1] ?? 0);
  }

  async pendingCount(runId: string): Promise<number> {
    return this.redis.scard(this.keys.runPending(runId));
  }

  /** Exactly one caller wins the right to finalize a run (for 10 minutes: a dead finalizer's claim expires). */
  async claimFinalize(runId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.runFinalizing(runId), '1', 'EX', 600, 'NX')) === 'OK';
  }

  async releaseFinalize(runId: string): Promise<void> {
    await this.redis.del(this.keys.runFinalizing(runId));
  }

  async addDeleteCandidates(runId: string, entries: { key: string; member: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const args: string[] = [];
    for (const e of entries) args.push(e.key, e.member);
    await this.redis.hset(this.keys.runDeletes(runId), ...args);
  }

  async *deleteCandidates(runId: string): AsyncGenerator<Array<{ key: string; member: string }>> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.keys.runDeletes(runId), cursor, 'COUNT', 500);
      cursor = next;
      const batch: Array<{ key: string; member: string }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) batch.push({ key: flat[i]!, member: flat[i + 1]! });
      if (batch.length > 0) yield batch;
    } while (cursor !== '0');
  }

  async list(limit = 20): Promise<string[]> {
    return this.redis.zrevrange(this.keys.runs(), 0, limit - 1);
  }

  /** Drops the per-run working sets once a run has ended (the run hash and its counters stay). */
  async cleanup(runId: string): Promise<void> {
    await this.redis.del(
      this.keys.runPending(runId),
      this.keys.runDeletes(runId),
      this.keys.runCursor(runId),
    );
  }
}
