// Per-batch checkpoints of a sync job, in Redis. After each batch ONE atomic script writes the batch's state
// entries, advances the run's counters, appends its requeued items and dead letters, and moves the job's
// "done" mark past the batch. So a retried job (worker killed, job stalled) resumes after the last
// delivered batch and never counts or writes a batch twice; and the counters are exact.
//
// The intent: before the first write of batch n, `intent` = n. A job that starts and finds intent == done
// knows batch `done` may already be in the target (the worker died between the write and the checkpoint,
// or the answer was lost): it looks its objects up before writing (src/sync/batch-delivery.ts).
import type { RedisClient } from '../queue/connection.ts';
import type { Keys } from '../queue/keys.ts';
import { LuaScript } from '../queue/lua-script.ts';
import type { SyncItem } from '../queue/payloads.ts';
import type { Step } from '../sinks/next-step.ts';
import { PUT_REPLACING_FN, stateArgs } from './state-store.ts';

/** Working keys of a job live at most this long (a job retried days later still finds them). */
const TTL_S = 7 * 24 * 3600;
const FINISHED_TTL_S = 24 * 3600;

const APPLY = new LuaScript(
  'checkpointApply',
  `${PUT_REPLACING_FN}
local done = tonumber(redis.call('HGET', KEYS[1], 'done') or '0')
if done ~= tonumber(ARGV[1]) then return 0 end
local nState, nCounters, nRequeue, nDead = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local i = 9
-- The batch's state in one call: its key range is read once (see PUT_REPLACING_FN).
putReplacingBatch(KEYS[2], ARGV, i, nState)
if nState > 0 then i = i + 2 + 3 * nState end
for _ = 1, nCounters do redis.call('HINCRBY', KEYS[3], ARGV[i], tonumber(ARGV[i + 1])); i = i + 2 end
for _ = 1, nRequeue do redis.call('RPUSH', KEYS[4], ARGV[i]); i = i + 1 end
for _ = 1, nDead do redis.call('RPUSH', KEYS[5], ARGV[i]); i = i + 1 end
redis.call('HSET', KEYS[1], 'done', done + 1)
redis.call('HDEL', KEYS[1], 'intent')
local ra = tonumber(ARGV[6])
if ra > tonumber(redis.call('HGET', KEYS[1], 'retryAfter') or '0') then redis.call('HSET', KEYS[1], 'retryAfter', ra) end
if nRequeue > 0 and ARGV[7] == '0' then redis.call('HSET', KEYS[1], 'backoff', 1) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[8]))
if nRequeue > 0 then redis.call('EXPIRE', KEYS[4], tonumber(ARGV[8])) end
return 1`,
  5,
);

export interface Progress {
  /** Batches checkpointed. */
  done: number;
  /** The batch whose write started and was not checkpointed, if any. */
  intent?: number;
}

export interface Requeued {
  items: SyncItem[];
  retryAfterMs: number;
  /** Some item failed for another reason than throttling: the follow-up backs off. */
  backoff: boolean;
}

export class Checkpoints {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async read(jobId: string): Promise<Progress> {
    const [done, intent] = await this.redis.hmget(this.keys.jobProgress(jobId), 'done', 'intent');
    return { done: Number(done ?? 0), ...(intent !== null ? { intent: Number(intent) } : {}) };
  }

  /** Recorded before the first write of batch n. */
  async markIntent(jobId: string, n: number): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.jobProgress(jobId), 'intent', n)
      .expire(this.keys.jobProgress(jobId), TTL_S)
      .exec();
  }

  /**
   * Applies batch n's step, once: false when batch n was already checkpointed (another worker that held
   * the job before us got there first), in which case nothing is written or counted.
   */
  async apply(
    jobId: string,
    n: number,
    step: Step,
    where: { stateKey: string; runKey: string; deadKey: string },
  ): Promise<boolean> {
    const state = stateArgs(
      step.state.map((s) => s.entry),
      step.state.map((s) => s.replaces),
    );
    const counters: string[] = [];
    for (const [k, v] of Object.entries(step.counters)) if (v) counters.push(k, String(v));
    const requeue = step.requeue.map((r) => JSON.stringify(r));
    const dead = step.dead.map((d) => JSON.stringify(d));
    const applied = await APPLY.run(
      this.redis,
      [
        this.keys.jobProgress(jobId),
        where.stateKey,
        where.runKey,
        this.keys.jobRequeue(jobId),
        where.deadKey,
      ],
      [
        n,
        step.state.length,
        counters.length / 2,
        requeue.length,
        dead.length,
        step.retryAfterMs,
        step.onlyThrottled ? 1 : 0,
        TTL_S,
        ...state,
        ...counters,
        ...requeue,
        ...dead,
      ],
    );
    return Number(applied) === 1;
  }

  async requeued(jobId: string): Promise<Requeued> {
    const [raw, h] = await Promise.all([
      this.redis.lrange(this.keys.jobRequeue(jobId), 0, -1),
      this.redis.hmget(this.keys.jobProgress(jobId), 'retryAfter', 'backoff'),
    ]);
    return {
      items: raw.map((r) => JSON.parse(r) as SyncItem),
      retryAfterMs: Number(h[0] ?? 0),
      backoff: h[1] === '1',
    };
  }

  /**
   * Once the job's follow-up (if any) is enqueued: drops the requeue list. The progress stays a day, so
   * a job re-run after a crash right here (before the run recorded it as done) still finds every batch done.
   */
  async finish(jobId: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.keys.jobRequeue(jobId))
      .expire(this.keys.jobProgress(jobId), FINISHED_TTL_S)
      .exec();
  }
}
