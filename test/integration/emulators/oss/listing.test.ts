// Listings through the real ali-oss client: V2 paging over odd keys, delimiters, start-after,
// encoding-type=url, v1 NextMarker paging, and validation errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, compareUtf8, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { MODES, client, ossError } from './client.ts';

const BUCKET = 'list-bucket';
const ODD_KEYS = [
  'odd/unicode-☃-日本',
  'odd/astral-\u{1F600}',
  'odd/private-\uE000',
  'odd/with space',
  'odd/plus+sign',
  'odd/percent%41',
  'odd/hash#tag',
  'odd/question?mark',
  'odd/new\nline',
  'odd/' + 'L'.repeat(1018), // 1023 bytes
  'odd/zero-byte',
];

let emu: OssEmulator;
let expected: string[];
beforeAll(async () => {
  emu = await startOssEmulator({ buckets: [BUCKET] });
  const keys = [...ODD_KEYS];
  for (let i = 0; i < 2100; i++) keys.push(`bulk/${String(i).padStart(5, '0')}/f.txt`);
  for (const d of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) keys.push(`tree/${d}/${i}.txt`);
  keys.push('tree/root.txt');
  emu.store.seedObjects(
    BUCKET,
    keys.map((key) => ({ key, body: key === 'odd/zero-byte' ? '' : 'body' })),
  );
  expected = [...keys].sort(compareUtf8);
});
afterAll(async () => {
  await emu.close();
});

describe.each(MODES)('listV2 paging, $name', (mode) => {
  it('collects every key in UTF-8 byte order across pages of 1000', async () => {
    const oss = client(emu, BUCKET, mode);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const q: Record<string, string> = { 'max-keys': '1000' };
      if (token) q['continuation-token'] = token;
      const page = await oss.listV2(q as never);
      expect(page.keyCount).toBe(page.objects.length);
      seen.push(...page.objects.map((o) => o.name));
      token = page.nextContinuationToken ?? undefined;
      expect(page.isTruncated).toBe(token !== undefined);
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
    expect(seen).toEqual(emu.store.listObjects(BUCKET).map((o) => o.key));
  });
});

describe('listV2 options', () => {
  it('rolls keys up into CommonPrefixes, counting each once toward max-keys', async () => {
    const oss = client(emu, BUCKET);
    const first = await oss.listV2({ prefix: 'tree/', delimiter: '/', 'max-keys': '2' } as never);
    expect(first.prefixes).toEqual(['tree/a/', 'tree/b/']);
    expect(first.objects).toEqual([]);
    expect(first.keyCount).toBe(2);
    expect(first.isTruncated).toBe(true);
    const second = await oss.listV2({
      prefix: 'tree/',
      delimiter: '/',
      'max-keys': '2',
      'continuation-token': first.nextContinuationToken,
    } as never);
    expect(second.prefixes).toEqual(['tree/c/']);
    expect(second.objects.map((o) => o.name)).toEqual(['tree/root.txt']);
    expect(second.isTruncated).toBe(false);
    expect(second.nextContinuationToken).toBeNull();
  });

  it('starts strictly after start-after', async () => {
    const oss = client(emu, BUCKET);
    const page = await oss.listV2({ prefix: 'bulk/', 'start-after': 'bulk/02097/f.txt' } as never);
    expect(page.objects.map((o) => o.name)).toEqual(['bulk/02098/f.txt', 'bulk/02099/f.txt']);
  });

  it('percent-encodes names with encoding-type=url', async () => {
    const oss = client(emu, BUCKET);
    const page = await oss.listV2({ prefix: 'odd/', 'encoding-type': 'url', 'max-keys': '1000' } as never);
    const raw = page.objects.map((o) => o.name);
    expect(raw).toContain('odd%2Fwith%20space');
    expect(raw).toContain('odd%2Fnew%0Aline');
    expect(raw).toContain('odd%2Fplus%2Bsign');
    expect(raw.map(decodeURIComponent)).toEqual(expected.filter((k) => k.startsWith('odd/')));
    const delimited = await oss.listV2({ prefix: 'tree/', delimiter: '/', 'encoding-type': 'url' } as never);
    expect(delimited.prefixes).toEqual(['tree%2Fa%2F', 'tree%2Fb%2F', 'tree%2Fc%2F']);
  });

  it('rejects max-keys outside 1..1000 and foreign continuation tokens', async () => {
    const oss = client(emu, BUCKET);
    for (const bad of ['0', '1001', 'abc']) {
      const err = await ossError(oss.listV2({ 'max-keys': bad } as never));
      expect(err.code).toBe('InvalidArgument');
      expect(err.status).toBe(400);
    }
    const err = await ossError(oss.listV2({ 'continuation-token': 'bogus!' } as never));
    expect(err.code).toBe('InvalidArgument');
  });

  it('returns Owner with fetch-owner and defaults to 100 keys', async () => {
    const oss = client(emu, BUCKET);
    const page = await oss.listV2({ 'fetch-owner': true } as never);
    expect(page.objects).toHaveLength(100);
    expect(page.objects[0]?.owner?.id).toMatch(/^\d+$/);
  });
});

describe('v1 list paging', () => {
  it('pages with NextMarker, with and without a delimiter', async () => {
    const oss = client(emu, BUCKET, { v4: false });
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await oss.list({ prefix: 'bulk/', 'max-keys': 700, ...(marker ? { marker } : {}) }, {});
      seen.push(...page.objects.map((o) => o.name));
      marker = page.isTruncated ? page.nextMarker : undefined;
    } while (marker);
    expect(seen).toEqual(expected.filter((k) => k.startsWith('bulk/')));

    const entries: string[] = [];
    marker = undefined;
    do {
      const page = await oss.list(
        { prefix: 'tree/', delimiter: '/', 'max-keys': 1, ...(marker ? { marker } : {}) },
        {},
      );
      entries.push(...(page.prefixes ?? []), ...page.objects.map((o) => o.name));
      marker = page.isTruncated ? page.nextMarker : undefined;
    } while (marker);
    expect(entries).toEqual(['tree/a/', 'tree/b/', 'tree/c/', 'tree/root.txt']);
  });
});
