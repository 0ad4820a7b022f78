import { expect, it } from 'vitest';
import { extraCopies } from '../../../src/runs/late-copies.ts';

const rec = (targetId: string) => ({ targetId, key: 'k' });

it.each([
  ['no record', [], 'a', []],
  ['one record, the state one', [rec('a')], 'a', []],
  ['one record, another than the state one', [rec('b')], 'a', []],
  ['two records: the state one is kept', [rec('b'), rec('a')], 'a', ['b']],
  ['three records: the state one is kept', [rec('a'), rec('b'), rec('c')], 'b', ['a', 'c']],
  ['two records, the state names neither: the first is kept', [rec('b'), rec('c')], 'a', ['c']],
  ['two records, no state entry: the first is kept', [rec('b'), rec('c')], undefined, ['c']],
] as const)('extraCopies: %s', (_name, records, stateId, extra) => {
  expect(extraCopies(records, stateId)).toEqual(extra);
});
