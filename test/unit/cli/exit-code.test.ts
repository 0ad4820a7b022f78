import { expect, it } from 'vitest';
import { EXIT_CANCELLED, exitCodeFor } from '../../../src/cli/commands/sync.ts';

it.each([
  ['completed', 0, 0],
  ['completed', 3, 2],
  ['failed', 0, 1],
  ['failed', 5, 1],
  ['cancelled', 0, EXIT_CANCELLED],
  ['cancelled', 2, EXIT_CANCELLED],
])('a %s run with %i rejected exits %i', (status, rejected, code) => {
  expect(exitCodeFor(status, rejected)).toBe(code);
});

it('cancelled has a code of its own', () => {
  expect(EXIT_CANCELLED).not.toBe(0);
  expect(EXIT_CANCELLED).not.toBe(1);
  expect(EXIT_CANCELLED).not.toBe(2);
  expect(EXIT_CANCELLED).not.toBe(3); // verify's "drift"
});
