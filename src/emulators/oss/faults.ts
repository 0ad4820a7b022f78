// Fault injection settings, validated once so a bad admin PUT cannot leave half-applied values.
import type { OssFaults } from './types.ts';

export const NO_FAULTS: Readonly<OssFaults> = {
  latencyMs: 0,
  slowDownRate: 0,
  resetRate: 0,
  stallBodyRate: 0,
};

/** Merges `patch` into `current`; throws a message listing every invalid field. */
export function mergeFaults(current: Readonly<OssFaults>, patch: unknown): OssFaults {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new Error('faults must be a JSON object');
  }
  const next: OssFaults = { ...current };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(patch)) {
    if (!(name in NO_FAULTS)) {
      problems.push(`unknown field ${name}`);
      continue;
    }
    const isRate = name !== 'latencyMs';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (isRate && value > 1)) {
      problems.push(`${name} must be a number ${isRate ? 'in 0..1' : '>= 0'}`);
      continue;
    }
    next[name as keyof OssFaults] = value;
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return next;
}

/** One draw against a rate; `random` is injectable so tests can pin outcomes. */
export function hit(rate: number, random: () => number = Math.random): boolean {
  return rate > 0 && random() < rate;
}
