// A gate in front of every PAI call, shared by all workers through Redis. A call:
//  1. reserves the next free slot of a schedule spaced 1/(rps x 0.98) apart (GCRA-style), so calls are
//     spread evenly instead of bursting into the service's window and being throttled;
//  2. sleeps until shortly before its slot and runs its guard (the run's status and the job's lock, several
//     Redis round trips) then, so that the guard has ended when the slot comes instead of delaying the send;
//  3. at its slot, is admitted in ONE script: under the send window (at most rps admissions in any
//     SEND_WINDOW_MS, src/queue/gate-timing.ts), with a concurrency slot (a sorted set of short leases scored
//     by expiry, renewed while the call runs, so a crashed worker's slots come back within one lease), and
//     not before a penalty has passed (a slot reserved before the penalty waits for its end; its place in the
//     schedule is kept, so the calls behind it do not lose the schedule's lead);
//  4. sends, and on its answer hands its lease to a call of this process waiting for one (which then starts
//     at once instead of at its next poll), or gives it back.
// The lease covers the call only (admission to answer), not the wait for the rate slot: apiConcurrency is
// the calls in flight, and a call slowed down by a starved machine no longer holds a slot the schedule needs.
// A call sent late (a starved process wakes after its slot) keeps no one from its own slot, and the send
// window holds back the call rps after it, which would otherwise reach the service less than 1 s later.
// Penalty: after a Throttling answer every worker waits out the service's retry-after together, and the
// schedule slows down a little (SLOW_*), so the spacing adapts to what the service observes and recovers
// call by call.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.ts';
import {
  FIRST_POLL_MS,
  GUARD_SAMPLES,
  SEND_WINDOW_MS,
  guardLeadMs,
  nextPollMs,
  rateIntervalMs,
} from './gate-timing.ts';

// KEYS: tat, slow-down factor (>= 1, worn down by every reservation). Returns the ms until the slot.
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
return tostring(tat - now)`;

// KEYS: tat, slow-down factor, penalty end. Moves the schedule past the penalty, stretches it, and records
// the penalty's end, before which no call is admitted (slots reserved earlier included).
const PENALIZE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local untilMs = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < untilMs then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 60000) end
local slow = tonumber(redis.call('GET', KEYS[2]) or '1')
redis.call('SET', KEYS[2], math.min(tonumber(ARGV[3]), slow + tonumber(ARGV[2])), 'EX', 3600)
if tonumber(redis.call('GET', KEYS[3]) or '0') < untilMs then
  redis.call('SET', KEYS[3], untilMs, 'PX', tonumber(ARGV[1]) + 60000)
end
return 0`;

// KEYS: leases, send window, penalty end.
// ARGV: concurrency, lease ms, lease token, rps (0 = no window), window ms, call id.
// Returns {1, 0} admitted (lease taken or refreshed, admission counted), {0, 0} no free lease,
// {-1, ms} penalty or full window for ms more.
const ADMIT = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local penalty = tonumber(redis.call('GET', KEYS[3]) or '0')
if penalty > now then return {-1, penalty - now} end
local rps = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
if rps > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local n = redis.call('ZCARD', KEYS[2])
  if n >= rps then
    local first = redis.call('ZRANGE', KEYS[2], n - rps, n - rps, 'WITHSCORES')
    return {-1, math.max(1, tonumber(first[2]) + window - now)}
  end
end
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return {0, 0} end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
if rps > 0 then
  redis.call('ZADD', KEYS[2], now, ARGV[6])
  redis.call('PEXPIRE', KEYS[2], window + 60000)
end
return {1, 0}`;

// Extends a held lease on Redis's clock (workers' clocks may disagree).
const RENEW = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])`;

export interface ApiGateOptions {
  /** Calls per second across all workers; 0 = unlimited. */
  rps: number;
  /** Calls in flight (admitted, not yet answered) across all workers. */
  concurrency: number;
  /** Lease length; renewed every third of it while the call runs. */
  leaseMs?: number;
  /** The clock the gate waits on (tests inject one; default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunOptions {
  /**
   * Runs once, shortly before the call's rate slot (see guardLeadMs): the run's status and the job's lock.
   * A throw stops the call before it is admitted. After a penalty or a wait for a concurrency slot it is not
   * repeated: such waits are bounded by the service's retry-after and by the calls in flight.
   */
  before?: () => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export { RATE_HEADROOM } from './gate-timing.ts';

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

interface Slot {
  /** performance.now() when the slot comes. */
  at: number;
}

export class ApiGate {
  private readonly sleep: (ms: number) => Promise<void>;
  /** Calls of this process waiting for a concurrency slot, oldest first. */
  private readonly waiters: Waiter[] = [];
  /** The last guards' durations (ms), to start the next ones early enough. */
  private readonly guardMs: number[] = [];

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly opts: ApiGateOptions,
  ) {
    this.sleep = opts.sleep ?? realSleep;
  }

  private get rateKey() {
    return `${this.keyPrefix}:rate`;
  }
  private get semKey() {
    return `${this.keyPrefix}:sem`;
  }
  private get slowKey() {
    return `${this.keyPrefix}:rate:slow`;
  }
  private get penaltyKey() {
    return `${this.keyPrefix}:rate:penalty`;
  }
  private get sentKey() {
    return `${this.keyPrefix}:rate:sent`;
  }

  private leaseMs(): number {
    return this.opts.leaseMs ?? 10_000;
  }

  private async reserve(): Promise<Slot> {
    const wait = (await this.redis.eval(
      RESERVE,
      2,
      this.rateKey,
      this.slowKey,
      rateIntervalMs(this.opts.rps),
      SLOW_RECOVERY,
    )) as string;
    return { at: performance.now() + Math.max(0, Number(wait)) };
  }

  private async waitUntil(at: number): Promise<void> {
    const ms = at - performance.now();
    if (ms > 0) await this.sleep(ms);
  }

  private async admit(callId: string, lease: Lease | undefined): Promise<[number, number]> {
    const [verdict, ms] = (await this.redis.eval(
      ADMIT,
      3,
      this.semKey,
      this.sentKey,
      this.penaltyKey,
      this.opts.concurrency,
      this.leaseMs(),
      lease?.token ?? callId,
      this.opts.rps,
      SEND_WINDOW_MS,
      callId,
    )) as [number, number];
    return [Number(verdict), Number(ms)];
  }

  /** A lease handed over by a call of this process that ended, or undefined when it is time to poll again. */
  private waitForLease(pollMs: number): Promise<Lease | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const waiter: Waiter = { give: (lease) => settle(lease) };
      const settle = (lease: Lease | undefined) => {
        if (settled) return;
        settled = true;
        // Out of the queue before anything else runs, so that no lease is handed to a call that stopped waiting.
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(lease);
      };
      this.waiters.push(waiter);
      void this.sleep(pollMs + Math.random() * pollMs).then(() => settle(undefined));
    });
  }

  /** Hands the lease to the oldest waiting call of this process, or gives it back to Redis. */
  private async release(lease: Lease): Promise<void> {
    const next = lease.handoffs < MAX_HANDOFFS ? this.waiters.shift() : undefined;
    if (next) next.give({ token: lease.token, handoffs: lease.handoffs + 1 });
    else await this.redis.zrem(this.semKey, lease.token);
  }

  private noteGuard(ms: number): void {
    this.guardMs.push(ms);
    if (this.guardMs.length > GUARD_SAMPLES) this.guardMs.shift();
  }

  /** Runs fn when the rate schedule, the send window and the concurrency limit allow it. */
  async run<T>(fn: () => Promise<T>, runOpts: RunOptions = {}): Promise<T> {
    const callId = randomBytes(8).toString('hex');
    let slot = await this.reserve();
    let before = runOpts.before;
    let lease: Lease | undefined;
    let pollMs = FIRST_POLL_MS;
    try {
      for (;;) {
        if (before) {
          await this.waitUntil(slot.at - guardLeadMs(this.guardMs));
          const started = performance.now();
          await before();
          this.noteGuard(performance.now() - started);
          before = undefined;
        }
        await this.waitUntil(slot.at);
        const [verdict, ms] = await this.admit(callId, lease);
        if (verdict === 1) {
          lease ??= { token: callId, handoffs: 0 };
          break;
        }
        if (verdict === -1) {
          slot = { ...slot, at: performance.now() + ms };
        } else {
          lease = await this.waitForLease(pollMs);
          pollMs = nextPollMs(pollMs);
        }
      }
    } catch (err) {
      if (lease) await this.release(lease);
      throw err;
    }
    const leaseMs = this.leaseMs();
    const held = lease;
    const renew = setInterval(
      () => {
        void this.redis.eval(RENEW, 1, this.semKey, leaseMs, held.token).catch(() => {});
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(held);
    }
  }

  /** Everyone waits at least ms before the next call (after a Throttling answer). */
  async penalize(ms: number): Promise<void> {
    await this.redis.eval(
      PENALIZE,
      3,
      this.rateKey,
      this.slowKey,
      this.penaltyKey,
      Math.max(1, Math.round(ms)),
      SLOW_STEP,
      SLOW_MAX,
    );
  }
}
