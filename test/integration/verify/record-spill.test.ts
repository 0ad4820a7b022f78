// The spill must give records back grouped by key in OSS's byte order, whatever order they came in,
// across chunk boundaries, including keys that are prefixes of others and characters beyond U+FFFF.
import { afterAll, expect, it } from 'vitest';
import { compareKeys } from '../../../src/oss/key-order.ts';
import { decodeRecord, encodeRecord, RecordSpill } from '../../../src/verify/record-spill.ts';
import { redisClient, uniquePrefix } from '../../helpers/redis.ts';

const redis = redisClient();
afterAll(() => redis.disconnect());

it('round-trips a record, optional fields included', () => {
  const r = { key: 'a\tb/c d', id: 'x', fingerprint: 'F', size: 0, updatedAt: 5 };
  expect(decodeRecord(encodeRecord(r))).toEqual(r);
  expect(decodeRecord(encodeRecord({ key: 'k', id: 'y' }))).toEqual({ key: 'k', id: 'y' });
});

it('reads back groups in key byte order across chunks, then drops the set', async () => {
  const spill = new RecordSpill(redis, `${uniquePrefix('spill')}:s`);
  const keys = ['a', 'a/b', 'a0', 'b', '\u{1F600}', '\uFFFD', 'z', 'ab'];
  const recs = keys.flatMap((key, i) => [
    { key, id: `${i}-1` },
    ...(i % 2 === 0 ? [{ key, id: `${i}-2` }] : []),
  ]);
  await spill.add(recs.slice(5));
  await spill.add(recs.slice(0, 5));
  const groups = [];
  for await (const g of spill.groups(3)) groups.push(g);
  expect(groups.map((g) => g.key)).toEqual([...keys].sort(compareKeys));
  for (const g of groups) expect(g.records.length).toBe(keys.indexOf(g.key) % 2 === 0 ? 2 : 1);
  expect(await redis.ttl(spill.key)).toBeGreaterThan(0);
  await spill.drop();
  expect(await redis.exists(spill.key)).toBe(0);
});
