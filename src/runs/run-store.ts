// Run records in Redis: status, binding, counters, the set of outstanding jobs (completion detection) and
// the delete candidates found by the scan. Nothing a worker needs lives only in process memory.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../queue/connection.ts';
import type { Keys } from '../queue/keys.ts';
import { LuaScript } from '../queue/lua-script.ts';
import {
  COUNTERS,
  type Counter,
  type Counters,
  type RunBinding,
  type RunKind,
  type RunRecord,
  type RunStatus,
} from './run-types.ts';

const RUN_RECORD_TTL_S = 7 * 24 * 3600;
const RUNS_INDEX_MAX = 10_000;

const ADD_CANDIDATES = new LuaScript(
  'addDeleteCandidates',
  `
local n = (#ARGV - 1) / 2
redis.call('HINCRBY', KEYS[2], 'deleteCandidatesSeen', n)
if redis.call('HLEN', KEYS[1]) <= tonumber(ARGV[1]) then
  for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 0`,
  2,
);

const ADD_PENDING = new LuaScript(
  'addPending',
  `
for i = 1, #ARGV do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then redis.call('SADD', KEYS[1], ARGV[i]) end
end
return 0`,
  2,
);

const DONE_PENDING = new LuaScript(
  'donePending',
  `
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[1], ARGV[1])
return redis.call('SCARD', KEYS[1])`,
  2,
);

export function newRunId(now = Date.now()): string {
  // Sortable, never all digits, no ':' (BullMQ job-id rules).
  return `r${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

export class RunStore {
  constructor(
    readonly redis: RedisClient,
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
    await this.redis
      .multi()
      .hset(this.keys.run(runId), fields)
      .zadd(this.keys.runs(), now, runId)
      .sadd(this.keys.activeRuns(), runId)
      // The binding outlives its runs' records (they expire): dead-letter requeues need it.
      .set(this.keys.bindingSpec(binding.bindingId), JSON.stringify(binding))
      .exec();
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
      deleteCandidatesSeen: Math.max(dels, Number(h.deleteCandidatesSeen ?? 0)),
    };
  }

  async status(runId: string): Promise<RunStatus | undefined> {
    return ((await this.redis.hget(this.keys.run(runId), 'status')) ?? undefined) as RunStatus | undefined;
  }

  async binding(runId: string): Promise<RunBinding | undefined> {
    const b = await this.redis.hget(this.keys.run(runId), 'binding');
    return b ? (JSON.parse(b) as RunBinding) : undefined;
  }

  async bindingSpec(bindingId: string): Promise<RunBinding | undefined> {
    const b = await this.redis.get(this.keys.bindingSpec(bindingId));
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
    // One counter (the call count, before every API call): one command instead of MULTI, HINCRBY, EXEC.
    if (entries.length === 1) {
      await this.redis.hincrby(this.keys.run(runId), entries[0]![0], entries[0]![1] as number);
      return;
    }
    const multi = this.redis.multi();
    for (const [k, v] of entries) multi.hincrby(this.keys.run(runId), k, v as number);
    await multi.exec();
  }

  /** Registers jobs as outstanding BEFORE they are added, so completion is never seen early. */
  async addPending(runId: string, jobIds: string[]): Promise<void> {
    if (jobIds.length === 0) return;
    // A job that runs twice (retried after a crash, a lost lock) registers its children again; a child that
    // already finished must not come back as pending, or the run would wait for it forever.
    await ADD_PENDING.run(this.redis, [this.keys.runPending(runId), this.keys.runDone(runId)], jobIds);
  }

  /** Records a job as finished (for good: see addPending); returns how many remain. */
  async donePending(runId: string, jobId: string): Promise<number> {
    return Number(
      await DONE_PENDING.run(this.redis, [this.keys.runPending(runId), this.keys.runDone(runId)], [jobId]),
    );
  }

  /** Whether a job of the run already finished (a job re-added after that has nothing to do). */
  async isDone(runId: string, jobId: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.runDone(runId), jobId)) === 1;
  }

  async pendingIds(runId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.runPending(runId));
  }

  async pendingCount(runId: string): Promise<number> {
    return this.redis.scard(this.keys.runPending(runId));
  }

  /** Exactly one caller wins the right to finalize a run (for 10 minutes: a dead finalizer's claim expires). */
  async claimFinalize(runId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.runFinalizing(runId), '1', 'EX', 600, 'NX')) === 'OK';
  }

  /**
   * Records vanished records for the sweep. Past `keepAtMost` only the count grows: a run that would delete
   * more than maxDelete is refused anyway, so an emptied source must not copy its whole state here.
   */
  async addDeleteCandidates(
    runId: string,
    entries: { key: string; member: string }[],
    keepAtMost = Number.MAX_SAFE_INTEGER,
  ): Promise<void> {
    if (entries.length === 0) return;
    const args: string[] = [];
    for (const e of entries) args.push(e.key, e.member);
    await ADD_CANDIDATES.run(
      this.redis,
      [this.keys.runDeletes(runId), this.keys.run(runId)],
      [keepAtMost, ...args],
    );
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

  /** Runs not yet finalized (the reaper looks at all of them, however many runs came after). */
  async activeRuns(): Promise<string[]> {
    return this.redis.smembers(this.keys.activeRuns());
  }

  async forgetActive(runId: string): Promise<void> {
    await this.redis.srem(this.keys.activeRuns(), runId);
  }

  async list(limit = 20): Promise<string[]> {
    return this.redis.zrevrange(this.keys.runs(), 0, limit - 1);
  }

  /** An ended run's record stays a week for `status`; the index keeps the newest 10,000 runs. */
  async expire(runId: string): Promise<void> {
    await this.redis
      .multi()
      .expire(this.keys.run(runId), RUN_RECORD_TTL_S)
      .zremrangebyrank(this.keys.runs(), 0, -(RUNS_INDEX_MAX + 1))
      .exec();
  }

  /** Drops the per-run working sets once a run has ended (the run hash and its counters stay). */
  async cleanup(runId: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.keys.runPending(runId), this.keys.runDone(runId), this.keys.runDeletes(runId))
      .srem(this.keys.activeRuns(), runId)
      .exec();
  }
}
