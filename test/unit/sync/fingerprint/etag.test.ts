import { describe, expect, it } from 'vitest';
import { etagToFingerprint, isMultipartEtag } from '../../../../src/sync/fingerprint/etag.ts';

describe('etagToFingerprint', () => {
  it.each([
    ['quoted header/listing form', '"5b3c1f0e9aa9c1783224a1536d3f1e22"', '5B3C1F0E9AA9C1783224A1536D3F1E22'],
    ['unquoted event form', '5B3C1F0E9AA9C1783224A1536D3F1E22', '5B3C1F0E9AA9C1783224A1536D3F1E22'],
    ['multipart', '"9AA9C1783224A1536D3F1E222C9C791B-6"', '9AA9C1783224A1536D3F1E222C9C791B-6'],
    ['weak validator', 'W/"e27c7dc9afa8bd0b219561e4c373306a-1384"', 'E27C7DC9AFA8BD0B219561E4C373306A-1384'],
    ['lower-case weak prefix', 'w/"abc"', 'ABC'],
    ['surrounding whitespace', '  "d41d8cd98f00b204e9800998ecf8427e" ', 'D41D8CD98F00B204E9800998ECF8427E'],
    ['a lone quote is not stripped', '"', '"'],
    ['empty', '', ''],
  ])('%s: %j -> %j', (_name, input, expected) => {
    expect(etagToFingerprint(input)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = etagToFingerprint('W/"abc-2"');
    expect(etagToFingerprint(once)).toBe(once);
  });
});

describe('isMultipartEtag', () => {
  it.each([
    ['"9AA9C1783224A1536D3F1E222C9C791B-6"', true],
    ['e27c7dc9afa8bd0b219561e4c373306a-1384', true],
    ['W/"E27C7DC9AFA8BD0B219561E4C373306A-1"', true],
    ['"D41D8CD98F00B204E9800998ECF8427E"', false],
    ['"D41D8CD98F00B204E9800998ECF8427E-"', false],
    ['"-3"', false],
    ['"not-hex-3x"', false],
    ['', false],
  ])('%j -> %s', (etag, expected) => {
    expect(isMultipartEtag(etag)).toBe(expected);
  });
});
