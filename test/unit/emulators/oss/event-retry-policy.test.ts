// The notifier's retry decisions (MNS NotifyStrategy, scaled) and its lane choice, as tables.
import { describe, expect, it } from 'vitest';
import { laneOf } from '../../../../src/emulators/oss/event-notifier.ts';
import { isDelivered, retryDelayMs } from '../../../../src/emulators/oss/event-retry-policy.ts';

describe('retryDelayMs', () => {
  it.each([
    // policy, retry, scale, random, expected
    ['backoff', 0, 1, 0.5, 0],
    ['backoff', 1, 1, 0, 10_000],
    ['backoff', 2, 1, 0.5, 15_000],
    ['backoff', 3, 0.01, 0.999, 200],
    ['backoff', 4, 1, 0.5, undefined],
    ['exponential', 1, 1, 0.5, 1_000],
    ['exponential', 4, 1, 0.5, 8_000],
    ['exponential', 10, 1, 0.5, 512_000],
    ['exponential', 50, 0.01, 0.5, 5_120],
    ['exponential', 176, 1, 0.5, 512_000],
    ['exponential', 177, 1, 0.5, undefined],
  ] as const)('%s retry %i (scale %d, random %d) waits %s ms', (policy, retry, scale, random, expected) => {
    expect(retryDelayMs(policy, retry, scale, () => random)).toBe(expected);
  });

  it('the exponential policy spans about one day, as MNS documents', () => {
    let total = 0;
    for (let r = 1; r <= 176; r++) total += retryDelayMs('exponential', r, 1) ?? 0;
    expect(total).toBe((1 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256) * 1000 + 167 * 512_000);
  });
});

describe('isDelivered', () => {
  it.each([
    [200, true],
    [204, true],
    [299, true],
    [301, false],
    [400, false],
    [429, false],
    [500, false],
    [503, false],
  ])('%i -> %s', (status, expected) => {
    expect(isDelivered(status)).toBe(expected);
  });
});

describe('laneOf', () => {
  it('is stable per key and spreads keys over every lane', () => {
    expect(laneOf('bucket/a', 8)).toBe(laneOf('bucket/a', 8));
    const used = new Set(Array.from({ length: 200 }, (_, i) => laneOf(`bucket/key-${i}`, 8)));
    expect(used.size).toBe(8);
  });
});
