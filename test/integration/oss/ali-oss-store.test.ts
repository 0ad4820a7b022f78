// The ObjectStore adapter against the emulator: its own listing parse must see exactly what ali-oss's
// listV2 (xml2js) sees, for every kind of key, in both addressing styles.
import OSS from 'ali-oss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { staticCredentials } from '../../../src/config/credentials.ts';
import { EMULATOR_KEY } from '../../../src/demo/local-cloud.ts';
import { ODD_KEYS } from '../../../src/demo/sample-data.ts';
import { startOssEmulator, type OssEmulator } from '../../../src/emulators/oss/index.ts';
import { createAliOssStore } from '../../../src/oss/ali-oss-store.ts';
import type { ObjectEntry } from '../../../src/oss/object-store.ts';

let emu: OssEmulator;
const BUCKET = 'store-bucket';
const KEYS = [
  ...ODD_KEYS,
  'a&b<c>"d\'.txt',
  'ctrl\u0001char.bin',
  'dir/sub/x.txt',
  'dir/y.txt',
  'zero.bin',
  '😀/ok.txt',
  '\uE000/pua.txt',
];

beforeAll(async () => {
  emu = await startOssEmulator({ credentials: [EMULATOR_KEY], buckets: [BUCKET] });
  for (const k of KEYS) emu.store.putObject(BUCKET, k, k === 'zero.bin' ? '' : `body of ${k}`);
  for (let i = 0; i < 1500; i++) emu.store.putObject(BUCKET, `bulk/${String(i).padStart(4, '0')}`, 'x');
});
afterAll(async () => emu.close());

async function listAll(
  pathStyle: boolean,
  delimiter?: string,
  prefix = '',
): Promise<{ objects: ObjectEntry[]; prefixes: string[] }> {
  const store = await createAliOssStore({
    bucket: BUCKET,
    region: 'cn-hangzhou',
    endpoint: pathStyle ? emu.endpoint.replace('127.0.0.1', 'localhost') : emu.endpoint,
    pathStyle,
    credentials: staticCredentials(EMULATOR_KEY),
  });
  const objects: ObjectEntry[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.listPage({
      prefix,
      maxKeys: 400,
      ...(delimiter ? { delimiter } : {}),
      ...(token ? { continuationToken: token } : {}),
    });
    objects.push(...page.objects);
    prefixes.push(...page.commonPrefixes);
    token = page.nextContinuationToken;
  } while (token);
  return { objects, prefixes };
}

it.each([false, true])('lists every key exactly as the store has it (path style: %s)', async (pathStyle) => {
  const { objects } = await listAll(pathStyle);
  const expected = emu.store.listObjects(BUCKET);
  expect(objects.map((o) => o.key)).toEqual(expected.map((o) => o.key));
  expect(objects.map((o) => o.etag)).toEqual(expected.map((o) => o.etag));
  expect(objects.map((o) => o.size)).toEqual(expected.map((o) => o.size));
  // The store keeps Last-Modified at whole seconds, as OSS does.
  expect(objects.map((o) => o.lastModified)).toEqual(expected.map((o) => o.lastModified.getTime()));
});

it('agrees with ali-oss listV2 where xml2js can read the listing', async () => {
  const client = new OSS({
    ...EMULATOR_KEY,
    bucket: BUCKET,
    endpoint: emu.endpoint,
    region: 'oss-cn-hangzhou',
    authorizationV4: true,
  } as OSS.Options);
  const theirs: string[] = [];
  let token: string | undefined;
  do {
    const res = (await client.listV2(
      { prefix: 'dir/', 'max-keys': '1000', ...(token ? { 'continuation-token': token } : {}) } as never,
      {},
    )) as unknown as { objects: Array<{ name: string }>; nextContinuationToken: string | null };
    theirs.push(...res.objects.map((o) => o.name));
    token = res.nextContinuationToken ?? undefined;
  } while (token);
  const ours = await listAll(false, undefined, 'dir/');
  expect(ours.objects.map((o) => o.key)).toEqual(theirs);
});

it('returns common prefixes with a delimiter', async () => {
  const { objects, prefixes } = await listAll(false, '/', 'dir/');
  expect(objects.map((o) => o.key)).toEqual(['dir/y.txt']);
  expect(prefixes).toEqual(['dir/sub/']);
});

it('head answers undefined for a missing key and the facts for an existing one', async () => {
  const store = await createAliOssStore({
    bucket: BUCKET,
    region: 'cn-hangzhou',
    endpoint: emu.endpoint,
    credentials: staticCredentials(EMULATOR_KEY),
  });
  expect(await store.head('no/such/key')).toBeUndefined();
  const head = await store.head('odd/new\nline.txt');
  expect(head?.size).toBe(Buffer.byteLength('body of odd/new\nline.txt'));
  expect(head?.crc64).toMatch(/^\d+$/);
});
