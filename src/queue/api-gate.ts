// A gate in front of every PAI call, shared by all workers through Redis:
//  - rate, in two steps. (1) Each caller reserves the next free slot of a schedule spaced 1/rps apart
//    (GCRA-style), so calls are spread evenly instead of bursting. (2) Right before the request leaves, the
//    call is admitted against a sliding window kept in Redis, in which each call counts from its admission
//    until one second after its answer: at most apiRps calls count at any time. The service counts a call
//    when it arrives, somewhere between the two, so no one-second window at the service holds more than
//    apiRps calls, however late a starved worker sends or bunches them (SEND_WINDOW_MS). Step 1 alone is
//    not enough under CPU starvation: a call whose slot has passed goes at once, so calls whose timers fired
//    late leave together, on top of the previous second's;
//  - concurrency: a semaphore of short leases (a sorted set scored by expiry), renewed while the call runs,
//    so a crashed worker's slots come back within one lease instead of blocking everyone. Its size follows
//    the latency this process observes (gate-concurrency.ts), under the `apiConcurrency` cap;
//  - penalty: after a Throttling answer every worker waits out the service's retry-after together, and the
//    schedule and the window stretch a little (see SLOW_*), recovering call by call (for a service that
//    counts otherwise than this gate assumes);
//  - hand-off: a call that ends passes its lease to a call waiting in the same process, so a waiting call
//    starts at once instead of at its next poll (polls back off to 100 ms, and under CPU starvation their
//    timers fire later still: the concurrency slots then idled while calls waited).
// Round trips per call: lease and rate slot together, the admission alongside the caller's checks, and the
// end (window entry and lease) together; under starvation each round trip costs tens of milliseconds.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './connection.ts';
import {
  LATENCY_SAMPLES,
  concurrencyCap,
  concurrencyFor,
  p90,
  type ConcurrencySetting,
} from './gate-concurrency.ts';

// The rate schedule's reservation, as a Lua fragment over the given keys and arguments: `rate` holds the
// next free slot, `slow` the slow-down factor (>= 1) that stretches the interval; every reservation wears it
// down. Leaves the wait in ms in `wait`. Used alone (RESERVE) and with a lease taken from Redis (ACQUIRE), so
// that a call taking its lease from Redis reserves its slot in the same round trip.
const reserveLua = (rate: string, slow: string, interval: string, recovery: string) => `
local slow = tonumber(redis.call('GET', ${slow}) or '1')
local interval = tonumber(${interval}) * slow
if slow > 1 then
  slow = math.max(1, slow - tonumber(${recovery}))
  if slow > 1 then redis.call('SET', ${slow}, slow, 'EX', 3600) else redis.call('DEL', ${slow}) end
end
local tat = tonumber(redis.call('GET', ${rate}) or '0')
if tat < now then tat = now end
redis.call('SET', ${rate}, tat + interval, 'PX', math.ceil(math.max(60000, tat + interval - now + 60000)))
local wait = tat - now`;

const RESERVE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
${reserveLua('KEYS[1]', 'KEYS[2]', 'ARGV[1]', 'ARGV[2]')}
return wait`;

const PENALIZE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local untilMs = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < untilMs then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 60000) end
local slow = tonumber(redis.call('GET', KEYS[2]) or '1')
redis.call('SET', KEYS[2], math.min(tonumber(ARGV[3]), slow + tonumber(ARGV[2])), 'EX', 3600)
return 0`;

// A lease if fewer than ARGV[1] are held (KEYS[1]), and then at once the rate slot: returns its wait (>= 0),
// or -1 without a lease.
const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return -1 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
${reserveLua('KEYS[2]', 'KEYS[3]', 'ARGV[4]', 'ARGV[5]')}
return wait`;

// The send-time check. KEYS[1] is the window: a sorted set of the calls that still count, each scored by
// the time it stops counting (Redis's clock). KEYS[2] is the slow-down factor. A call counts from its
// admission until ARGV[1] x slow ms after its answer came back (FINISH); while it is in flight its end is
// provisional, ARGV[4] ms ahead (a lease plus a window), renewed with its lease. Admits (returns 0) when fewer
// than ARGV[2] calls count, else returns the milliseconds until the first one stops counting, or a short
// poll (ARGV[5]) when all that count are still in flight (their ends are not known yet).
const ADMIT = `
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('ZCARD', KEYS[1])
local limit = tonumber(ARGV[2])
if n < limit then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + 60000)
  return 0
end
local slow = tonumber(redis.call('GET', KEYS[2]) or '1')
local first = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if first > now + tonumber(ARGV[1]) * slow then return tonumber(ARGV[5]) end
return math.max(1, math.ceil(first - now))`;

// A call ended: its window entry ARGV[2] (KEYS[1], if any) counts for one stretched window from now, and its
// lease ARGV[3] (KEYS[3], if given) is returned.
const FINISH = `
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
if ARGV[2] ~= '' then
  local slow = tonumber(redis.call('GET', KEYS[2]) or '1')
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]) * slow, ARGV[2])
end
if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
return 0`;

// Also keeps a call in flight counting in the send-time window (KEYS[2], member ARGV[3], if admitted): a
// crashed worker's calls stop counting one lease and one window after its last renewal.
const RENEW = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if ARGV[3] ~= '' then redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[4]), ARGV[3]) end
return redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])`;

export interface ApiGateOptions {
  /** Calls per second across all workers; 0 = unlimited. */
  rps: number;
  /** Calls in flight across all workers: at most N (fewer when fewer hold `rps`), or `auto`. */
  concurrency: ConcurrencySetting;
  /** Lease length; renewed every third of it while the call runs. */
  leaseMs?: number;
  /** Called every REPORT_EVERY calls with what the gate observed (workers log it at debug level). */
  report?: (r: GateReport) => void;
}

/** What the gate observed over its recent calls (the last LATENCY_SAMPLES), for logs and benchmarks. */
export interface GateReport {
  calls: number;
  concurrency: number;
  /** Time a call held its slot, less the gate's own waits (what the concurrency is sized from). */
  busyP50Ms: number;
  busyP90Ms: number;
  /** From admission to answer: how much longer than SEND_WINDOW_MS a call counts against apiRps. */
  answerP50Ms: number;
  answerP90Ms: number;
  /** Milliseconds the send-time window made calls wait, in all. */
  admitWaitMs: number;
}

const REPORT_EVERY = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function keepRecent(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > LATENCY_SAMPLES) samples.shift();
}

/**
 * The schedule aims this share of apiRps. Calls leave exactly 1/rps apart but reach the service with a few
 * milliseconds of jitter; against a sliding one-second window of exactly apiRps, a call that arrives early
 * would be throttled (and a throttle costs every worker a retry-after pause). 2% of headroom avoids that.
 */
export const RATE_HEADROOM = 0.98;

/**
 * The send-time window: how long after its answer a call still counts against apiRps. The service counts a
 * call when it arrives, which the client does not see: only that it was after the admission and before the
 * answer. A call that counts from its admission until one second after its answer therefore counts at least
 * as long as the service counts it, whatever happened in between (the worker starved between the admission
 * and the request, the request queued at the service): no one-second window at the service can hold more
 * than apiRps admitted calls. Counting from the admission alone (with a 20 ms margin) let the service see
 * more whenever a call reached it more than 20 ms later after its admission than a call admitted a window
 * later did, which a starved process does (2 of 32 calls throttled at the emulator, 1 run in 6, on this
 * machine). The price: a call takes 1 s + its latency of the window, so at full rate the window holds the
 * rate to apiRps x 1 s / (1 s + latency) (the figures: bench/BENCHMARKS.md, "Issue 13, session 2").
 */
export const SEND_WINDOW_MS = 1000;

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

/** Hooks of one call. */
export interface RunOptions {
  /**
   * The caller's own checks (e.g. the run's status), run after the rate schedule's wait, alongside the
   * send-time admission; when they throw, fn is not called.
   */
  before?: () => Promise<void>;
}

export class ApiGate {
  private readonly cap: number;
  /** Recent calls' slot times less the gate's own waits, newest last (at most LATENCY_SAMPLES). */
  private readonly busyMs: number[] = [];
  /** Recent calls' time from admission to answer, newest last. */
  private readonly answerMs: number[] = [];
  private calls = 0;
  private admitWaitMs = 0;
  private admitted = 0;
  private readonly id = randomBytes(6).toString('hex');

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly opts: ApiGateOptions,
  ) {
    this.cap = concurrencyCap(opts.concurrency, opts.rps);
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
  private get windowKey() {
    return `${this.keyPrefix}:rate:window`;
  }

  /** Calls of this process waiting for a concurrency slot, oldest first. */
  private readonly waiters: Waiter[] = [];

  private leaseMs(): number {
    return this.opts.leaseMs ?? 10_000;
  }

  /** The concurrency limit this process applies now (it follows the latencies it observed). */
  concurrency(): number {
    return concurrencyFor({ rps: this.opts.rps, cap: this.cap, busyMs: this.busyMs });
  }

  private observe(busyMs: number, answerMs: number | undefined): void {
    keepRecent(this.busyMs, Math.max(0, busyMs));
    if (answerMs !== undefined) keepRecent(this.answerMs, answerMs);
    if (++this.calls % REPORT_EVERY === 0 && this.opts.report) this.opts.report(this.observed());
  }

  /** What the gate observed over its recent calls. */
  observed(): GateReport {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    return {
      calls: this.calls,
      concurrency: this.concurrency(),
      busyP50Ms: Math.round(median(this.busyMs)),
      busyP90Ms: Math.round(p90(this.busyMs)),
      answerP50Ms: Math.round(median(this.answerMs)),
      answerP90Ms: Math.round(p90(this.answerMs)),
      admitWaitMs: Math.round(this.admitWaitMs),
    };
  }

  private interval(): number {
    // With no rate limit the schedule still carries penalties (a Throttling retry-after), so every call
    // reserves a slot; interval 0 just means "now, unless penalized".
    return this.opts.rps > 0 ? 1000 / (this.opts.rps * RATE_HEADROOM) : 0;
  }

  /**
   * A concurrency slot: from Redis, with the rate slot's wait reserved in the same round trip, or handed
   * over by a call of this process that just ended (wait undefined: the slot is still to be reserved).
   */
  private async acquire(): Promise<Lease & { wait?: number }> {
    const token = randomBytes(8).toString('hex');
    let wait = -1;
    const tryRedis = async () => {
      wait = Number(
        await this.redis.eval(
          ACQUIRE,
          3,
          this.semKey,
          this.rateKey,
          this.slowKey,
          this.concurrency(),
          this.leaseMs(),
          token,
          this.interval(),
          SLOW_RECOVERY,
        ),
      );
      return wait >= 0;
    };
    if (await tryRedis()) return { token, handoffs: 0, wait };
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
        if (await tryRedis()) return { token, handoffs: 0, wait };
        if (handed) return handed;
        this.waiters.push(waiter);
      }
    } finally {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
    }
  }

  /**
   * Ends a call: its send-time window entry counts from now for one window (if it was admitted), and its
   * lease goes to the oldest waiting call of this process, or back to Redis (after MAX_HANDOFFS in a row:
   * other processes' turn), in the same round trip. The window entry of a handed-on lease is updated without
   * waiting for it: until it lands the entry counts longer (its provisional end), never shorter. A lower
   * concurrency limit takes effect as leases go back to Redis, not at hand-off: refusing hand-offs whenever
   * the limit dipped (it moves with every latency sample) sent waiting calls back to polling, and under CPU
   * starvation their timers fire late.
   */
  private async finish(lease: Lease, member: string): Promise<void> {
    const next = lease.handoffs < MAX_HANDOFFS ? this.waiters.shift() : undefined;
    const finished = (token: string) =>
      this.redis.eval(FINISH, 3, this.windowKey, this.slowKey, this.semKey, this.windowMs(), member, token);
    if (next) {
      if (member) void finished('').catch(() => {});
      next.give({ token: lease.token, handoffs: lease.handoffs + 1 });
    } else await finished(lease.token);
  }

  private windowMs(): number {
    return SEND_WINDOW_MS;
  }

  /** How long ahead a call in flight counts, provisionally: a lease (renewed while it runs) and a window. */
  private inFlightMs(): number {
    return this.leaseMs() + this.windowMs() * SLOW_MAX;
  }

  /**
   * Waits until the send-time window admits one more call, and keeps its member as the call in flight of
   * the run that asked (see run); returns the milliseconds it asked to wait.
   */
  private async admit(onAdmitted: (member: string) => void): Promise<number> {
    const member = `${this.id}:${(this.admitted++).toString(36)}`;
    let waited = 0;
    for (;;) {
      const wait = Number(
        await this.redis.eval(
          ADMIT,
          2,
          this.windowKey,
          this.slowKey,
          this.windowMs(),
          this.opts.rps,
          member,
          this.inFlightMs(),
          Math.max(10, Math.floor(1000 / this.opts.rps)),
        ),
      );
      if (wait <= 0) {
        onAdmitted(member);
        return waited;
      }
      waited += wait;
      this.admitWaitMs += wait;
      await sleep(wait);
    }
  }

  /** Runs fn when the rate schedule, the send-time window and the concurrency limit allow it. */
  async run<T>(fn: () => Promise<T>, runOpts: RunOptions = {}): Promise<T> {
    const leaseMs = this.leaseMs();
    // Acquire the concurrency slot first, then the rate slot, so a reserved rate slot is not wasted waiting.
    const { wait: reserved, ...lease } = await this.acquire();
    const held = performance.now();
    // The waits the gate asked for: not counted as the call's latency (the rate's time, not the call's).
    let waited = 0;
    // The call's member in the send-time window, once admitted, and when.
    let member = '';
    let admitted: number | undefined;
    const renew = setInterval(
      () => {
        void this.redis
          .eval(RENEW, 2, this.semKey, this.windowKey, leaseMs, lease.token, member, this.inFlightMs())
          .catch(() => {});
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      const wait =
        reserved ??
        Number(await this.redis.eval(RESERVE, 2, this.rateKey, this.slowKey, this.interval(), SLOW_RECOVERY));
      if (wait > 0) {
        waited += wait;
        await sleep(wait);
      }
      if (this.opts.rps > 0) {
        // The caller's checks and the admission side by side (one round trip less per call, which counts
        // when every round trip of a starved worker takes tens of milliseconds). Counting from the
        // admission to the answer makes this safe: a delay between them only keeps the call counted longer.
        // An admitted call whose checks failed is ended as any other (it counts one window from now).
        const [checked, admission] = await Promise.allSettled([
          runOpts.before?.(),
          this.admit((m) => (member = m)),
        ]);
        if (admission.status === 'rejected') throw admission.reason;
        if (checked.status === 'rejected') throw checked.reason;
        waited += admission.value;
      } else if (runOpts.before) await runOpts.before();
      admitted = performance.now();
      return await fn();
    } finally {
      clearInterval(renew);
      const end = performance.now();
      this.observe(end - held - waited, admitted === undefined ? undefined : end - admitted);
      await this.finish(lease, member);
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
