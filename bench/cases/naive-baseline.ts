// Case 2: what a user would write without the product: list a page, write it with CreateDatasetFileMetas
// in batches of 100, one call after another, no queue, no state. Runs in the harness process.
import type OSS from 'ali-oss';
import { EMULATOR_KEY } from '../../src/demo/local-cloud.ts';
import { staticCredentials } from '../../src/config/credentials.ts';
import { createOpenApiDatasetApi } from '../../src/pai/openapi-dataset-api.ts';
import { etagToFingerprint } from '../../src/sync/fingerprint/etag.ts';
import { mimeFromKey } from '../../src/sync/fingerprint/mime.ts';
import { buildRecord } from '../../src/sinks/pai/request.ts';
import { round, timed } from '../lib/measure.ts';

export interface NaiveResult {
  objects: number;
  seconds: number;
  objectsPerSec: number;
  calls: number;
  failedItems: number;
  clientCpuSeconds: number;
}

type ListV2Result = {
  objects?: Array<{ name: string; size: number; etag: string; lastModified: string }> | null;
  nextContinuationToken?: string | null;
  isTruncated?: boolean;
};

export async function naiveBaseline(opts: {
  client: OSS;
  bucket: string;
  prefix: string;
  paiEndpoint: string;
  workspaceId: string;
  /** Objects to write at most (the rate is what is compared; the 1M case need not write them all). */
  limit: number;
}): Promise<NaiveResult> {
  const api = createOpenApiDatasetApi({
    endpoint: opts.paiEndpoint,
    region: 'cn-hangzhou',
    protocol: 'http',
    credentials: staticCredentials(EMULATOR_KEY),
  });
  const datasetId = await api.createDataset({
    workspaceId: opts.workspaceId,
    name: `bench-naive-${Date.now()}`,
    edition: 'ADVANCED',
    uri: `oss://${opts.bucket}.oss-cn-hangzhou.aliyuncs.com/${opts.prefix}`,
  });
  const target = { workspaceId: opts.workspaceId, datasetId, datasetVersion: 'v1' };
  let calls = 0;
  let failedItems = 0;
  const t = await timed(async () => {
    let token: string | undefined;
    let written = 0;
    do {
      const q: Record<string, string | number> = { 'max-keys': 1000, prefix: opts.prefix };
      if (token) q['continuation-token'] = token;
      const res = (await opts.client.listV2(
        q as unknown as OSS.ListV2ObjectsQuery,
        {},
      )) as unknown as ListV2Result;
      const records = (res.objects ?? []).slice(0, opts.limit - written).map((o) =>
        buildRecord({
          bucket: opts.bucket,
          key: o.name,
          size: Number(o.size),
          lastModified: Date.parse(o.lastModified),
          fingerprint: etagToFingerprint(o.etag),
          ...mimeFromKey(o.name),
        }),
      );
      for (let i = 0; i < records.length; i += 100) {
        const r = await api.createFileMetas(target, records.slice(i, i + 100));
        calls++;
        failedItems += r.failed.length;
      }
      written += records.length;
      token = res.isTruncated && res.nextContinuationToken ? res.nextContinuationToken : undefined;
    } while (token && written < opts.limit);
    return written;
  });
  return {
    objects: t.value,
    seconds: round(t.seconds),
    objectsPerSec: Math.round(t.value / t.seconds),
    calls,
    failedItems,
    clientCpuSeconds: round(t.cpuSeconds),
  };
}
