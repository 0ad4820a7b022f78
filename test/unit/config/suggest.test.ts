import { describe, expect, it } from 'vitest';
import { editDistance, suggestOption } from '../../../src/config/suggest.ts';

describe('suggestOption', () => {
  it.each([
    ['workpaceId', 'workspaceId'],
    ['workspace-id', 'workspaceId'],
    ['WORKSPACEID', 'workspaceId'],
    ['datasetID', 'datasetId'],
    ['buckt', 'bucket'],
    ['batchMaxItem', 'batchMaxItems'],
    ['redis_url', 'redisUrl'],
  ])('%s -> %s', (typo, name) => {
    expect(suggestOption(typo)?.name).toBe(name);
  });

  it.each(['colour', 'x', 'region', 'threads'])('%s -> no guess', (name) => {
    expect(suggestOption(name)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['abc', 'ab', 1],
    ['kitten', 'sitting', 3],
  ])('%s vs %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});
