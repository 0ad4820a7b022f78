// A gate in front of every PAI call, shared by all workers through Redis:
//  - rate: each caller reserves the next free slot of a schedule spaced 1/rps apart (GCRA-style), so calls
//    are spread evenly instead of bursting into the service's window and being throttled;
//  - concurrency: a semaphore of short leases (a sorted set scored by expiry), renewed while the call runs,
//    so a crashed worker's slots come back within one lease instead of blocking everyone;
//  - penalty: after a Throttling answer every worker waits out the service's retry-after together, and the
//    schedule slows down a little (see SLOW_*): throttling means calls reach the service closer together than
//    they left (processes starved of CPU send late, then bunched), so the spacing adapts to what the service
//    observes and recovers call by call;
//  - hand-off: a call that ends passes its lease to a call waiting in the same process, so a waiting call
//    starts at once instead of at its next poll (polls back off to 100 ms, and under CPU starvation their
//    timers fire later still: the concurrency slots then idled while calls waited).
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.ts';

// KEYS[2] holds the slow-down factor (>= 1) that stretches the interval; every reservation wears it down.
const RESERVE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local slow = tonumber(redis.call('GET', KEYS[2]) or '1')
local interval = tonumber(ARGV[1]) * slow
if slow > 1 then
  slow = math.max(1, slow - tonumber(ARGV[2]))
  if slow > 1 then redis.call('SET', KEYS[2], slow, 'EX', 3600) else redis.call('DEL', KEYS[2]) end
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(math.max(60000, tat + interval - now + 60000)))
return tat - now`;

const PENALIZE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local untilMs = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < untilMs then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 60000) end
local slow = tonumber(redis.call('GET', KEYS[2]) or '1')
redis.call('SET', KEYS[2], math.min(tonumber(ARGV[3]), slow + tonumber(ARGV[2])), 'EX', 3600)
return 0`;

const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
  return 1
end
return 0`;

// Extends a held lease on Redis's clock (workers' clocks may disagree).
const RENEW = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])`;

export interface ApiGateOptions {
  /** Calls per second across all workers; 0 = unlimited. */
  rps: number;
  concurrency: number;
  /** Lease length; renewed every third of it while the call runs. */
  leaseMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The schedule aims this share of apiRps. Calls leave exactly 1/rps apart but reach the service with a few
 * milliseconds of jitter; against a sliding one-second window of exactly apiRps, a call that arrives early
 * would be throttled (and a throttle costs every worker a retry-after pause). 2% of headroom avoids that.
 */
export const RATE_HEADROOM = 0.98;

/**
 * Each Throttling answer stretches the interval by 4% (at most 1.5x in all); each reservation takes 0.04% of
 * that back, so one throttle is worn off after 100 calls (5 s at 20 req/s). At a steady 1% throttled calls
 * the stretch settles near 4%: the target of at most 1% throttled with 95% of apiRps used.
 */
export const SLOW_STEP = 0.04;
export const SLOW_RECOVERY = 0.0004;
export const SLOW_MAX = 1.5;

/** A call that ends hands its lease to a waiting call of the same process at most this often in a row, then
 * returns it to Redis, so that other processes get their turn. */
const MAX_HANDOFFS = 16;

interface Lease {
  token: string;
  handoffs: number;
}

interface Waiter {
  give: (lease: Lease) => void;
}

export class ApiGate {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly opts: ApiGateOptions,
  ) {}

  private get rateKey() {
    return `${this.keyPrefix}:rate`;
  }
  private get semKey() {
    return `${this.keyPrefix}:sem`;
  }
  private get slowKey() {
    return `${this.keyPrefix}:rate:slow`;
  }

  /** Calls of this process waiting for a concurrency slot, oldest first. */
  private readonly waiters: Waiter[] = [];

  private leaseMs(): number {
    return this.opts.leaseMs ?? 10_000;
  }

  /** A concurrency slot: from Redis, or handed over by a call of this process that just ended. */
  private async acquire(): Promise<Lease> {
    const token = randomBytes(8).toString('hex');
    const tryRedis = async () =>
      Boolean(await this.redis.eval(ACQUIRE, 1, this.semKey, this.opts.concurrency, this.leaseMs(), token));
    if (await tryRedis()) return { token, handoffs: 0 };
    let handed: Lease | undefined;
    let wake!: () => void;
    const waiter: Waiter = {
      give: (lease) => {
        handed = lease;
        wake();
      },
    };
    this.waiters.push(waiter);
    try {
      let backoff = 5;
      for (;;) {
        const slept = new Promise<void>((r) => {
          wake = r;
          setTimeout(r, backoff + Math.random() * backoff);
        });
        await slept;
        if (handed) return handed;
        backoff = Math.min(backoff * 2, 100);
        // Out of the queue while asking Redis, so that no lease is handed to a waiter that already has one.
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        if (await tryRedis()) return { token, handoffs: 0 };
        if (handed) return handed;
        this.waiters.push(waiter);
      }
    } finally {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
    }
  }

  /** Hands the lease to the oldest waiting call of this process, or gives it back to Redis. */
  private async release(lease: Lease): Promise<void> {
    const next = lease.handoffs < MAX_HANDOFFS ? this.waiters.shift() : undefined;
    if (next) next.give({ token: lease.token, handoffs: lease.handoffs + 1 });
    else await this.redis.zrem(this.semKey, lease.token);
  }

  /** Runs fn when both the rate schedule and the concurrency limit allow it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const leaseMs = this.leaseMs();
    // Acquire the concurrency slot first, then the rate slot, so a reserved rate slot is not wasted waiting.
    const lease = await this.acquire();
    const renew = setInterval(
      () => {
        void this.redis.eval(RENEW, 1, this.semKey, leaseMs, lease.token).catch(() => {});
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      // With no rate limit the schedule still carries penalties (a Throttling retry-after), so every call
      // reserves a slot; interval 0 just means "now, unless penalized".
      const interval = this.opts.rps > 0 ? 1000 / (this.opts.rps * RATE_HEADROOM) : 0;
      const wait = Number(
        await this.redis.eval(RESERVE, 2, this.rateKey, this.slowKey, interval, SLOW_RECOVERY),
      );
      if (wait > 0) await sleep(wait);
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(lease);
    }
  }

  /** Everyone waits at least ms before the next call (after a Throttling answer). */
  async penalize(ms: number): Promise<void> {
    await this.redis.eval(
      PENALIZE,
      2,
      this.rateKey,
      this.slowKey,
      Math.max(1, Math.round(ms)),
      SLOW_STEP,
      SLOW_MAX,
    );
  }
}
