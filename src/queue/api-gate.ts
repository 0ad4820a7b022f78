// A gate in front of every PAI call, shared by all workers through Redis:
//  - rate: each caller reserves the next free slot of a schedule spaced 1/rps apart (GCRA-style), so calls
//    are spread evenly instead of bursting into the service's window and being throttled;
//  - concurrency: a semaphore of short leases (a sorted set scored by expiry), renewed while the call runs,
//    so a crashed worker's slots come back within one lease instead of blocking everyone;
//  - penalty: after a Throttling answer every worker waits out the service's retry-after together.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.ts';

const RESERVE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local interval = tonumber(ARGV[1])
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

  /** Runs fn when both the rate schedule and the concurrency limit allow it. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const token = randomBytes(8).toString('hex');
    const leaseMs = this.opts.leaseMs ?? 10_000;
    // Acquire the concurrency slot first, then the rate slot, so a reserved rate slot is not wasted waiting.
    let backoff = 5;
    while (!(await this.redis.eval(ACQUIRE, 1, this.semKey, this.opts.concurrency, leaseMs, token))) {
      await sleep(backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 100);
    }
    const renew = setInterval(
      () => {
        void this.redis.eval(RENEW, 1, this.semKey, leaseMs, token).catch(() => {});
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      // With no rate limit the schedule still carries penalties (a Throttling retry-after), so every call
      // reserves a slot; interval 0 just means "now, unless penalized".
      const interval = this.opts.rps > 0 ? 1000 / (this.opts.rps * RATE_HEADROOM) : 0;
      const wait = Number(await this.redis.eval(RESERVE, 1, this.rateKey, interval));
      if (wait > 0) await sleep(wait);
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.zrem(this.semKey, token);
    }
  }

  /** Everyone waits at least ms before the next call (after a Throttling answer). */
  async penalize(ms: number): Promise<void> {
    await this.redis.eval(PENALIZE, 1, this.rateKey, Math.max(1, Math.round(ms)));
  }
}
