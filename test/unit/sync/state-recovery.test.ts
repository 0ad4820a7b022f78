// What a run does with the binding's state before it starts (src/sync/state-recovery.ts).
import { expect, it } from 'vitest';
import { recoveryStart, targetHoldsRecords } from '../../../src/sync/state-recovery.ts';
import type { TargetRecord } from '../../../src/sinks/sink.ts';

it.each([
  [1, false, 'state-present'],
  [1, true, 'state-present'],
  [0, true, 'target-known-empty'],
  [0, false, 'check-target'],
] as const)('state entries %i, target known empty %s: %s', (entries, knownEmpty, start) => {
  expect(recoveryStart(entries, knownEmpty)).toBe(start);
});

function sinkOf(pages: TargetRecord[][]) {
  const asked: number[] = [];
  return {
    asked,
    sink: {
      async *list() {
        for (const [i, page] of pages.entries()) {
          asked.push(i);
          yield page;
        }
      },
    },
  };
}

const record = (key: string): TargetRecord => ({ targetId: key, key });

it.each([
  ['no page', [], { holds: false, pages: 0 }, 0],
  ['one empty page', [[]], { holds: false, pages: 1 }, 1],
  ['a record on the first page', [[record('a')], [record('b')]], { holds: true, pages: 1 }, 1],
  [
    'other buckets first (filtered to empty pages)',
    [[], [], [record('c')], []],
    { holds: true, pages: 3 },
    3,
  ],
  ['only other buckets', [[], [], []], { holds: false, pages: 3 }, 3],
] as const)('targetHoldsRecords: %s', async (_name, pages, expected, asked) => {
  const s = sinkOf(pages.map((p) => [...p]));
  expect(await targetHoldsRecords(s.sink)).toEqual(expected);
  // It stops at the first record: no further page is requested.
  expect(s.asked).toHaveLength(asked);
});
