// Fault settings: validated once here so the admin endpoint, the options and setFaults() agree.
import { PaiApiError } from './api-error.ts';
import type { PaiFaults } from './types.ts';

export const NO_FAULTS: PaiFaults = { latencyMs: 0, errorRate: 0, partialFailureRate: 0, lostAnswerRate: 0 };

function check(name: keyof PaiFaults, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new PaiApiError(400, 'InvalidParameter', `fault "${name}" must be a number between 0 and ${max}`);
  }
  return value;
}

/** Merges a partial update into the current faults; throws PaiApiError 400 on a bad value. */
export function mergeFaults(
  current: PaiFaults,
  update: Partial<Record<keyof PaiFaults, unknown>>,
): PaiFaults {
  const next = { ...current };
  if (update.latencyMs !== undefined) next.latencyMs = check('latencyMs', update.latencyMs, 600_000);
  if (update.errorRate !== undefined) next.errorRate = check('errorRate', update.errorRate, 1);
  if (update.partialFailureRate !== undefined) {
    next.partialFailureRate = check('partialFailureRate', update.partialFailureRate, 1);
  }
  if (update.lostAnswerRate !== undefined)
    next.lostAnswerRate = check('lostAnswerRate', update.lostAnswerRate, 1);
  return next;
}
