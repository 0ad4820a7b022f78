// The API gate against the PAI emulator's sliding-window rate limiter (the same rule as the service), with
// real Redis and the real SDK client: calls from two gate instances (two worker processes) stay within the
// limit in every one-second window at the emulator, also when they were held back past their rate slots and
// then released together, which is what CPU starvation does to a worker. Without the gate's send-time window
// the eight held-back calls arrive at once, and four of them are throttled.
//
// A call counts from its admission until one second after its answer (SEND_WINDOW_MS): the service counts it
// somewhere in between, so the count holds whatever this process's own delays, on a busy machine, add
// between an admission and the emulator (counting from the admission alone with a 20 ms margin had 2 of 32
// calls throttled here about 1 run in 6, and 1 with a 100 ms margin while other tests ran).
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaiEmulator, type PaiEmulator } from '../../../src/emulators/pai/index.ts';
import { ApiGate } from '../../../src/queue/api-gate.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';
import { sleep } from '../../helpers/wait-for.ts';
import { PaiTestClient, advancedDataset } from '../emulators/pai/pai-client.ts';

const RPS = 4;

let emu: PaiEmulator;
let client: PaiTestClient;
let datasetId: string;
let redisA: Redis;
let redisB: Redis;
const prefix = `${uniquePrefix('gate-pai')}:ops:gate:test`;

beforeAll(async () => {
  emu = await startPaiEmulator();
  client = new PaiTestClient(emu.endpoint);
  datasetId = await advancedDataset(client);
  redisA = redisClient();
  redisB = redisClient();
});

afterAll(async () => {
  const keys = await redisA.keys(`${prefix}*`);
  if (keys.length > 0) await redisA.del(...keys);
  await Promise.all([redisA.quit(), redisB.quit()]);
  await emu.close();
});

/** A deterministic spread of delays (0-600 ms): the same run every time, varied enough to reorder calls. */
const delayOf = (i: number) => (i * 7919) % 601;

describe('ApiGate against the PAI emulator rate limit', () => {
  it(`two gates at apiRps ${RPS}: no call throttled by a ${RPS} req/s sliding window, calls held back and bunched included`, async () => {
    emu.setRps(RPS);
    emu.resetStats();
    const gates = [
      new ApiGate(redisA, prefix, { rps: RPS, concurrency: 8 }),
      new ApiGate(redisB, prefix, { rps: RPS, concurrency: 8 }),
    ];
    const getDataset = () => client.call('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`);

    // 1. Eight calls held in the pre-call hook until all eight wait there, then released at once.
    let waiting = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const heldBack = async () => {
      if (++waiting === 8) release();
      await released;
    };
    const bunched = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => gates[i % 2]!.run(getDataset, { before: heldBack })),
    );

    // 2. Twenty-four calls, each delayed between its rate slot and its admission by up to 600 ms.
    const delayed = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) =>
        gates[i % 2]!.run(getDataset, { before: () => sleep(delayOf(i)) }),
      ),
    );

    const failures = [...bunched, ...delayed]
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => String((r.reason as { code?: string }).code ?? r.reason));
    expect(failures).toEqual([]);
    expect(emu.stats.calls.GetDataset).toBe(32);
    expect(emu.stats.throttled).toBe(0);
    emu.setRps(0);
  });
});
