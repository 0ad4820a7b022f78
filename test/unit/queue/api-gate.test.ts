// ApiGate against the real Redis: the concurrency limit holds across gate instances (workers), calls are
// spaced by the rate, a penalty delays everyone, and a crashed holder's lease expires.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGate } from '../../../src/queue/api-gate.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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

/** Counts calls in flight inside fn, remembering the highest count seen. */
function inFlightProbe(holdMs: number) {
  let now = 0;
  let max = 0;
  let calls = 0;
  const fn = async () => {
    now++;
    calls++;
    max = Math.max(max, now);
    await sleep(holdMs);
    now--;
    return calls;
  };
  return { fn, max: () => max, calls: () => calls, now: () => now };
}

describe('ApiGate', () => {
  it('never lets more than `concurrency` calls run at once across gate instances', async () => {
    const prefix = gatePrefix();
    const a = new ApiGate(redisA, prefix, { rps: 0, concurrency: 3 });
    const b = new ApiGate(redisB, prefix, { rps: 0, concurrency: 3 });
    const probe = inFlightProbe(25);
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).run(probe.fn)));
    expect(probe.calls()).toBe(16);
    expect(probe.max()).toBeLessThanOrEqual(3);
    // All 16 start together, so the limit is actually reached (the probe sees the gate working, not idling).
    expect(probe.max()).toBe(3);
    expect(probe.now()).toBe(0);
    // Every lease is returned.
    expect(await redisA.zcard(`${prefix}:sem`)).toBe(0);
  });

  it('with concurrency 1, calls never overlap', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1 });
    const probe = inFlightProbe(5);
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

  it('spreads calls 1/rps apart: with rps 20, ten calls start over at least ~450 ms', async () => {
    const prefix = gatePrefix();
    const a = new ApiGate(redisA, prefix, { rps: 20, concurrency: 10 });
    const b = new ApiGate(redisB, prefix, { rps: 20, concurrency: 10 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).run(async () => {
          starts.push(performance.now());
        }),
      ),
    );
    expect(starts).toHaveLength(10);
    const span = Math.max(...starts) - Math.min(...starts);
    // (10 - 1) slots of 50 ms; the tolerance covers ms rounding of Redis TIME and timer granularity.
    expect(span).toBeGreaterThanOrEqual(9 * 50 - 30);
  });

  it('handles an rps whose interval is not a whole number of milliseconds (rps 3)', async () => {
    const prefix = gatePrefix();
    const gate = new ApiGate(redisA, prefix, { rps: 3, concurrency: 2 });
    const starts: number[] = [];
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
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(2 * 333 - 30);
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
    expect(startedAfter).toBeGreaterThanOrEqual(400 - 30);
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
    expect(startedAfter).toBeGreaterThanOrEqual(300 - 30);
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
    expect(startedAfter).toBeGreaterThanOrEqual(300 - 30);
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
    const holder = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1, leaseMs: 150 });
    const other = new ApiGate(redisB, prefix, { rps: 0, concurrency: 1, leaseMs: 150 });
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
    // Four lease lengths: without renewal the slot would have been taken.
    await sleep(600);
    expect(otherRan).toBe(false);
    release();
    await held;
    await waiting;
    expect(otherRan).toBe(true);
  });

  it('a lease that has not expired keeps its slot', async () => {
    const prefix = gatePrefix();
    const holder = new ApiGate(redisA, prefix, { rps: 0, concurrency: 1, leaseMs: 60_000 });
    const other = new ApiGate(redisB, prefix, { rps: 0, concurrency: 1, leaseMs: 60_000 });
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
    await sleep(300);
    expect(otherRan).toBe(false);
    release();
    await Promise.all([held, waiting]);
    expect(otherRan).toBe(true);
  });
});
