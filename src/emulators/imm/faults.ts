// Fault settings: validated once here so the admin endpoint, the CLI options and setFaults() agree.
import { invalidArgument } from './api-error.ts';
import type { ImmFaults } from './types.ts';

export const NO_FAULTS: ImmFaults = { latencyMs: 0, errorRate: 0, indexDelayMs: 0, indexFailureRate: 0 };

const MAX: Record<keyof ImmFaults, number> = {
  latencyMs: 600_000,
  errorRate: 1,
  indexDelayMs: 3_600_000,
  indexFailureRate: 1,
};

export function mergeFaults(
  current: ImmFaults,
  update: Partial<Record<keyof ImmFaults, unknown>>,
): ImmFaults {
  const next = { ...current };
  for (const name of Object.keys(MAX) as (keyof ImmFaults)[]) {
    const value = update[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX[name]) {
      throw invalidArgument(`fault "${name}" must be a number between 0 and ${MAX[name]}`);
    }
    next[name] = value;
  }
  return next;
}

export function checkQps(qps: unknown): number {
  if (typeof qps !== 'number' || !Number.isFinite(qps) || qps < 0) {
    throw invalidArgument('qps must be a number >= 0 (0 = unlimited)');
  }
  return qps;
}
