// Which dataset a --dataset-name binding uses when Redis does not remember it (datasetByName).
import { expect, it } from 'vitest';
import type { DatasetInfo } from '../../../src/pai/dataset-api.ts';
import { DatasetError, datasetByName } from '../../../src/runs/start-run.ts';

const ds = (datasetId: string, edition = 'ADVANCED'): DatasetInfo => ({ datasetId, name: 'n', edition });

it.each([
  ['none found: create one', [], null, undefined],
  ['one found', [ds('d1')], null, 'd1'],
  ['the remembered id is gone, another one is there', [ds('d1'), ds('d2')], 'd1', 'd2'],
  ['only the remembered, gone id', [ds('d1')], 'd1', undefined],
  ['a BASIC dataset has no file metadata: not used', [ds('d1', 'BASIC')], null, undefined],
  ['a BASIC one beside a usable one', [ds('d1', 'BASIC'), ds('d2')], null, 'd2'],
] as const)('%s', (_name, found, gone, expected) => {
  expect(datasetByName(found, gone, 'n', 'ws')).toBe(expected);
});

it('several usable ones: refused, naming them', () => {
  expect(() => datasetByName([ds('d1'), ds('d2')], null, 'n', 'ws')).toThrow(DatasetError);
  expect(() => datasetByName([ds('d1'), ds('d2')], null, 'n', 'ws')).toThrow(/2 datasets.*d1, d2/);
});
