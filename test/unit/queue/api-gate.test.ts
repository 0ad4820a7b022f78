// ApiGate against the real Redis: the concurrency limit holds across gate instances (workers), calls are
// spaced by the rate, a penalty delays everyone, and a crashed holder's lease expires.
// Busy-machine safe: timers fire late, never early, so only lower bounds on elapsed time are asserted, each
// call against its own earliest allowed start; negative checks wait for the other gate's attempts (counted on
// its connection), not for a number of milliseconds.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGate, SLOW_MAX, SLOW_RECOVERY, SLOW_STEP } from '../../../src/queue/api-gate.ts';
import { SEND_WINDOW_MS } from '../../../src/queue/gate-timing.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';
import { sleep, waitFor } from '../../helpers/wait-for.ts';

let redisA: Redis;
let redisB: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  // Two connections stand for two worker processes sharing one gate.
  redisA = redisClient();
  redisB = redisClient();
});

afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redisA.keys(`${p}*`);
    if (keys.length > 0) await redisA.del(...keys);
  }
  await Promise.all([redisA.quit(), redisB.quit()]);
});

function gatePrefix(): string {
  const p = `${uniquePrefix('gate')}:ops:gate:test`;
  prefixes.push(p);
  return p;
}

/**
 * Counts calls in flight inside fn, remembering the highest count seen. Calls hold their slot until `fill`
 * calls were in flight together once (or a long deadline passes), so reaching the limit does not depend on
 * how quickly Redis answers the other callers; a gate that let more in would show more.
 */
function inFlightProbe(fill: number) {
  let now = 0;
  let max = 0;
  let calls = 0;
  let filled!: () => void;
  const full = new Promise<void>((r) => (filled = r));
  const fn = async () => {
    now++;
    calls++;
    max = Math.max(max, now);
    if (now >= fill) filled();
    await Promise.race([full, sleep(10_000)]);
    await sleep(2);
    now--;
    return calls;
  };
  return { fn, max: () => max, calls: () => calls, now: () => now };
}

/** A gate connection whose ACQUIRE/RESERVE attempts are counted (evals), to wait for "it really tried". */
function countedClient(): { redis: Redis; evals: () => number } {
  const redis = redisClient();
  let n = 0;
  const original = redis.eval.bind(redis) as (...a: unknown[]) => Promise<unknown>;
  (redis as unknown as { eval: (...a: unknown[]) => Promise<unknown> }).eval = (...a: unknown[]) => {
    n++;
    return original(...a);
  };
  return { redis, evals: () => n };
}

/**
 * A sleep the test holds: every wait stays pending until open(), and resolves at once from then on. The gate
 * waits on it (its polls for a concurrency slot), so a test decides when a waiting call may poll.
 */
function heldSleep() {
  let opened = false;
  const pending: Array<() => void> = [];
  return {
    sleep: () =>
      new Promise<void>((r) => {
        if (opened) setImmediate(r);
        else pending.push(r);
      }),
    open: () => {
      opened = true;
      for (const r of pending.splice(0)) r();
    },
  };
}

/** Redis's clock in ms (the gate's leases are scored on it). */
async function redisNow(r: Redis): Promise<number> {
  const [s, us] = await r.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/**
 * Each call may not start before its slot: the k-th start (in time order) is at least k intervals after the
 * first reservation could have been made (t0). Tolerance: Redis TIME has ms resolution.
 */
function expectSpacedAtLeast(starts: number[], t0: number, intervalMs: number) {
  const sorted = [...starts].sort((a, b) => a - b);
  sorted.forEach((s, k) => expect(s - t0).toBeGreaterThanOrEqual(k * intervalMs - 5));
}

describe('ApiGate', () => {
  it('never lets more than `concurrency` calls run at once across gate instances', async () => {
    const prefix = gatePrefix();
    const a = new ApiGate(redisA, prefix, { rps: 0, concurrency: 3 });
    const b = new ApiGate(redisB, prefix, { rps: 0, concurrency: 3 });
    const probe = inFlightProbe(3);
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).run(probe.fn)));
    expect(probe.calls()).toBe(16);
    expect(probe.max()).toBeLessThanOrEqual(3);
    // The limit is actually reached (the probe sees the gate working, not idling).
    expect(probe.max()).toBe(3);
    expect(probe.now()).toBe(0);
    // Every lease is returned.
    expect(await redisA.zcard(`${prefix}:sem`)).toBe(0);
  });

  it('with concurrency 1, calls never overlap', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1 });
    const probe = inFlightProbe(1);
    await Promise.all(Array.from({ length: 8 }, () => gate.run(probe.fn)));
    expect(probe.max()).toBe(1);
  });

  it('returns the value of fn and passes its rejection through, releasing the lease either way', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1 });
    expect(await gate.run(async () => 42)).toBe(42);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await redisA.zcard(`${prefix}:sem`)).toBe(0);
    // The slot is free again: a next call gets through.
    expect(await gate.run(async () => 'again')).toBe('again');
  });

  it('spreads calls 1/rps apart: with rps 20, the k-th call starts at least k * 50 ms in', async () => {
    const prefix = gatePrefix();
    const a = new ApiGate(redisA, prefix, { rps: 20, concurrency: 10 });
    const b = new ApiGate(redisB, prefix, { rps: 20, concurrency: 10 });
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).run(async () => {
          starts.push(performance.now());
        }),
      ),
    );
    expect(starts).toHaveLength(10);
    expectSpacedAtLeast(starts, t0, 50);
  });

  it('handles an rps whose interval is not a whole number of milliseconds (rps 3)', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 3, concurrency: 2 });
    const starts: number[] = [];
    const t0 = performance.now();
    // allSettled: every call has finished (and released its lease) before the test ends, even on failure.
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () =>
        gate.run(async () => {
          starts.push(performance.now());
        }),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    expect(starts).toHaveLength(3);
    expectSpacedAtLeast(starts, t0, 333);
  });

  it('penalize() delays the next call by at least the penalty', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 50, concurrency: 4 });
    await gate.run(async () => undefined);
    const t0 = performance.now();
    await gate.penalize(400);
    let startedAfter = -1;
    await gate.run(async () => {
      startedAfter = performance.now() - t0;
    });
    expect(startedAfter).toBeGreaterThanOrEqual(400 - 5);
  });

  it('penalize() from one worker delays another worker too', async () => {
    const prefix = gatePrefix();
    const a = new ApiGate(redisA, prefix, { rps: 50, concurrency: 4 });
    const b = new ApiGate(redisB, prefix, { rps: 50, concurrency: 4 });
    const t0 = performance.now();
    await a.penalize(300);
    let startedAfter = -1;
    await b.run(async () => {
      startedAfter = performance.now() - t0;
    });
    expect(startedAfter).toBeGreaterThanOrEqual(300 - 5);
  });

  it('penalize() delays the next call even when the rate is unlimited (rps 0)', async () => {
    // apiRps 0 means "no rate limit", not "ignore the service's Throttling retry-after".
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 4 });
    const t0 = performance.now();
    await gate.penalize(300);
    let startedAfter = -1;
    await gate.run(async () => {
      startedAfter = performance.now() - t0;
    });
    expect(startedAfter).toBeGreaterThanOrEqual(300 - 5);
  });

  it('a crashed holder frees its slot when its lease expires', async () => {
    const prefix = gatePrefix();
    // The "crashed" worker has its own connection; cutting it stops its lease renewals, as a SIGKILL would.
    const crashedRedis = redisClient();
    const crashed = new ApiGate(crashedRedis, prefix, { rps: 0, concurrency: 1, leaseMs: 200 });
    const healthy = new ApiGate(redisB, prefix, { rps: 0, concurrency: 1, leaseMs: 200 });
    let entered!: () => void;
    const holding = new Promise<void>((r) => (entered = r));
    // Never returns: the holder is gone for good.
    void crashed
      .run(async () => {
        entered();
        await new Promise<void>(() => {});
      })
      .catch(() => {});
    await holding;
    crashedRedis.disconnect();
    // Without expiry this would wait forever (the test timeout would fail it).
    const result = await healthy.run(async () => 'got the slot');
    expect(result).toBe('got the slot');
  });

  it('a live holder keeps renewing its short lease, so nobody else gets the slot', async () => {
    const prefix = gatePrefix();
    // A lease of 1.5 s renewed every 500 ms: a renewal would have to be a whole second late to lose it.
    const holder = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1, leaseMs: 1_500 });
    const counted = countedClient();
    const other = new ApiGate(counted.redis, prefix, { rps: 0, concurrency: 1, leaseMs: 1_500 });
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const holding = new Promise<void>((r) => (entered = r));
    const held = holder.run(async () => {
      entered();
      await stuck;
    });
    await holding;
    const firstExpiry = Number((await redisA.zrange(`${prefix}:sem`, 0, 0, 'WITHSCORES'))[1]);
    let otherRan = false;
    const waiting = other.run(async () => {
      otherRan = true;
    });
    // Until Redis's clock is past two original lease ends, with the other gate still trying: without renewal
    // the slot would have been taken.
    await waitFor(async () => (await redisNow(redisA)) > firstExpiry + 1_500, { what: 'two lease lengths' });
    const triesBefore = counted.evals();
    await waitFor(() => counted.evals() >= triesBefore + 2, { what: 'two more acquire attempts' });
    expect(otherRan).toBe(false);
    expect(Number((await redisA.zrange(`${prefix}:sem`, 0, 0, 'WITHSCORES'))[1])).toBeGreaterThan(
      firstExpiry,
    );
    release();
    await held;
    await waiting;
    expect(otherRan).toBe(true);
    await counted.redis.quit();
  });

  it('a lease that has not expired keeps its slot', async () => {
    const prefix = gatePrefix();
    const holder = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1, leaseMs: 60_000 });
    const counted = countedClient();
    const other = new ApiGate(counted.redis, prefix, { rps: 0, concurrency: 1, leaseMs: 60_000 });
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const holding = new Promise<void>((r) => (entered = r));
    const held = holder.run(async () => {
      entered();
      await stuck;
    });
    await holding;
    let otherRan = false;
    const waiting = other.run(async () => {
      otherRan = true;
    });
    // The other gate tried several times (it backs off 5..100 ms between attempts) and never got in.
    await waitFor(() => counted.evals() >= 5, { what: 'five acquire attempts' });
    expect(otherRan).toBe(false);
    release();
    await Promise.all([held, waiting]);
    expect(otherRan).toBe(true);
    await counted.redis.quit();
  });

  it('a call that ends hands its lease to a call waiting in the same process (16 times, then back to Redis)', async () => {
    const prefix = gatePrefix();
    // Waiting calls poll Redis only when the test lets them: until the 17th call, a lease can only come from
    // a hand-off, however slowly the machine runs the calls (it was flaky on a loaded machine: a poll could
    // find the lease back in Redis while every waiter was out asking for one).
    const polls = heldSleep();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1, sleep: polls.sleep });
    const seen: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, () =>
        gate.run(async () => {
          const members = await redisA.zrange(`${prefix}:sem`, 0, -1);
          expect(members).toHaveLength(1);
          seen.push(members[0]!);
          if (seen.length === 17) polls.open();
        }),
      ),
    );
    expect(seen).toHaveLength(20);
    // The first call's lease served it and the next 16 calls, without going back through Redis.
    expect(new Set(seen.slice(0, 17)).size).toBe(1);
    // Then it was returned, so that other processes could have taken it: the next call has a new lease.
    expect(seen[17]).not.toBe(seen[0]);
    expect(await redisA.zcard(`${prefix}:sem`)).toBe(0);
  });

  it('the guard runs once, before the call, and a guard that throws stops the call without a lease left', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 20, concurrency: 2 });
    const order: string[] = [];
    await gate.run(
      async () => {
        order.push('call');
      },
      {
        before: async () => {
          order.push('guard');
        },
      },
    );
    expect(order).toEqual(['guard', 'call']);
    let called = false;
    await expect(
      gate.run(
        async () => {
          called = true;
        },
        { before: async () => Promise.reject(new Error('stopped')) },
      ),
    ).rejects.toThrow('stopped');
    expect(called).toBe(false);
    expect(await redisA.zcard(`${prefix}:sem`)).toBe(0);
  });

  it('a call waiting for its rate slot holds no concurrency slot (the lease covers the call only)', async () => {
    const prefix = gatePrefix();
    // rps 2: the second call's slot is about half a second after the first's.
    const gate = new ApiGate(redisA, prefix, { rps: 2, concurrency: 1 });
    await gate.run(async () => undefined);
    let leasesDuringGuard = -1;
    await gate.run(async () => undefined, {
      before: async () => {
        leasesDuringGuard = await redisA.zcard(`${prefix}:sem`);
      },
    });
    expect(leasesDuringGuard).toBe(0);
  });

  it('send window: calls held back and then let go together are admitted at most rps per window', async () => {
    const prefix = gatePrefix();
    const rps = 5;
    const a = new ApiGate(redisA, prefix, { rps, concurrency: 20 });
    const b = new ApiGate(redisB, prefix, { rps, concurrency: 20 });
    // Every call's guard waits until all calls have reserved their slots and most slots have passed: as if
    // the workers had been starved of CPU, they then all try to send at once.
    const n = 3 * rps;
    let guarded = 0;
    let letGo!: () => void;
    const go = new Promise<void>((r) => (letGo = r));
    // Every admission by call id, with its score (Redis clock): each call reads the whole window while it
    // runs, which holds its own admission (and others' still in the window).
    const admitted = new Map<string, number>();
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        (i % 2 === 0 ? a : b).run(
          async () => {
            const window = await redisA.zrange(`${prefix}:rate:sent`, 0, -1, 'WITHSCORES');
            for (let i = 0; i < window.length; i += 2) admitted.set(window[i]!, Number(window[i + 1]));
          },
          {
            before: async () => {
              if (++guarded === n) letGo();
              await go;
            },
          },
        ),
      ),
    );
    expect(admitted.size).toBe(n);
    const sorted = [...admitted.values()].sort((x, y) => x - y);
    // No rps + 1 admissions within one window, however they bunched before it.
    for (let k = rps; k < sorted.length; k++) {
      expect(sorted[k]! - sorted[k - rps]!).toBeGreaterThanOrEqual(SEND_WINDOW_MS);
    }
  });

  it('a call whose slot was reserved before a penalty waits for the penalty too', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 4 });
    let penalized = 0;
    let startedAfter = -1;
    await gate.run(
      async () => {
        startedAfter = performance.now() - penalized;
      },
      {
        // The slot is reserved (now: rps 0, no penalty yet); the penalty comes while the guard runs.
        before: async () => {
          penalized = performance.now();
          await gate.penalize(300);
        },
      },
    );
    expect(startedAfter).toBeGreaterThanOrEqual(300 - 5);
  });

  it('a Throttling penalty stretches the schedule by SLOW_STEP, reservations wear it off, capped at SLOW_MAX', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 4 });
    const slow = async () => Number((await redisA.get(`${prefix}:rate:slow`)) ?? '1');
    expect(await slow()).toBe(1);
    await gate.penalize(1);
    await gate.penalize(1);
    expect(await slow()).toBeCloseTo(1 + 2 * SLOW_STEP, 6);
    await gate.run(async () => {});
    expect(await slow()).toBeCloseTo(1 + 2 * SLOW_STEP - SLOW_RECOVERY, 6);
    for (let i = 0; i < 30; i++) await gate.penalize(1);
    expect(await slow()).toBe(SLOW_MAX);
  });

  it('stretched spacing: after a penalty, calls at rps 20 start at least 50 x (1 + SLOW_STEP) ms apart', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 20, concurrency: 10 });
    for (let i = 0; i < 5; i++) await gate.penalize(1);
    const t0 = performance.now();
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        gate.run(async () => {
          starts.push(performance.now());
        }),
      ),
    );
    // 5 steps, less what the 6 reservations wore off: still well above the unstretched 50 ms.
    expectSpacedAtLeast(starts, t0, 50 * (1 + 5 * SLOW_STEP - 6 * SLOW_RECOVERY));
  });
});
