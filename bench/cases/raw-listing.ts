// Case 1: the raw listing ceiling (a bare ali-oss listV2 loop, max-keys 1000), and where its time goes:
// the same signed requests without parsing, and with the product's one-pass parser (src/oss/list-page-parser.ts),
// and the parse of one page by xml2js vs that parser.
import type OSS from 'ali-oss';
import { internals, listV2Raw } from '../lib/oss-client.ts';
import { parseListObjectsV2 } from '../../src/oss/list-page-parser.ts';
import { round, timed } from '../lib/measure.ts';

export interface RawListingResult {
  keys: number;
  seconds: number;
  keysPerSec: number;
  clientCpuMsPer1000: number;
  rawHttp: { keys: number; seconds: number; keysPerSec: number; clientCpuMsPer1000: number };
  rawHttpFastParse: { keys: number; seconds: number; keysPerSec: number; clientCpuMsPer1000: number };
  parseMsPer1000: { xml2js: number; fastReader: number; pageBytes: number };
}

type ListV2Result = {
  objects?: unknown[] | null;
  nextContinuationToken?: string | null;
  isTruncated?: boolean;
};

async function listAll(client: OSS, prefix: string, limit: number): Promise<number> {
  let token: string | undefined;
  let keys = 0;
  do {
    const q: Record<string, string | number> = { 'max-keys': 1000, prefix };
    if (token) q['continuation-token'] = token;
    const res = (await client.listV2(q as unknown as OSS.ListV2ObjectsQuery, {})) as unknown as ListV2Result;
    keys += res.objects?.length ?? 0;
    token = res.isTruncated && res.nextContinuationToken ? res.nextContinuationToken : undefined;
  } while (token && keys < limit);
  return keys;
}

async function listAllRaw(client: OSS, prefix: string, limit: number, parse: boolean): Promise<number> {
  let token: string | undefined;
  let keys = 0;
  do {
    const body = await listV2Raw(client, {
      prefix,
      maxKeys: 1000,
      // The product's parser expects what the product asks for: url-encoded keys and tokens.
      urlEncoded: parse,
      ...(token ? { continuationToken: token } : {}),
    });
    if (parse) {
      const page = parseListObjectsV2(body, true);
      keys += page.objects.length;
      token = page.isTruncated ? page.nextContinuationToken : undefined;
    } else {
      // Only what is needed to go on: the token and the count, found by plain string search.
      const xml = body.toString('latin1');
      const t = /<NextContinuationToken>([^<]*)</.exec(xml);
      keys += xml.split('<Contents>').length - 1;
      token = xml.includes('<IsTruncated>true<') && t ? t[1] : undefined;
    }
  } while (token && keys < limit);
  return keys;
}

function bestOf(rounds: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function rawListing(client: OSS, prefix: string, limit = Infinity): Promise<RawListingResult> {
  const full = await timed(() => listAll(client, prefix, limit));
  const raw = await timed(() => listAllRaw(client, prefix, limit, false));
  const fast = await timed(() => listAllRaw(client, prefix, limit, true));

  const body = await listV2Raw(client, { prefix, maxKeys: 1000 });
  const c = internals(client);
  // xml2js is callback-based behind a promise; time 10 sequential parses and take the mean.
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) await c.parseXML(body);
  const xml2jsMs = (performance.now() - t0) / 10;
  const encoded = await listV2Raw(client, { prefix, maxKeys: 1000, urlEncoded: true });
  const fastMs = bestOf(10, () => parseListObjectsV2(encoded, true));
  const per1000 = (cpu: number, keys: number) => round((cpu * 1000 * 1000) / Math.max(1, keys), 2);
  const row = (t: { value: number; seconds: number; cpuSeconds: number }) => ({
    keys: t.value,
    seconds: round(t.seconds),
    keysPerSec: Math.round(t.value / t.seconds),
    clientCpuMsPer1000: per1000(t.cpuSeconds, t.value),
  });
  return {
    ...row(full),
    rawHttp: row(raw),
    rawHttpFastParse: row(fast),
    parseMsPer1000: { xml2js: round(xml2jsMs), fastReader: round(fastMs), pageBytes: body.length },
  };
}
