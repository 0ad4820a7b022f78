// A bare ali-oss client on the emulator, configured like the product's adapter (src/oss/ali-oss-store.ts).
import OSS from 'ali-oss';
import { EMULATOR_KEY } from '../../src/demo/local-cloud.ts';

export function benchOssClient(endpoint: string, bucket: string): OSS {
  return new OSS({
    bucket,
    region: 'oss-cn-hangzhou',
    endpoint,
    accessKeyId: EMULATOR_KEY.accessKeyId,
    accessKeySecret: EMULATOR_KEY.accessKeySecret,
    authorizationV4: true,
    timeout: 60_000,
  });
}

/** The ali-oss internals listV2 uses, typed narrowly: enough to send the same signed request unparsed. */
interface OssInternals {
  _objectRequestParams(method: string, name: string, options: object): Record<string, unknown>;
  request(params: Record<string, unknown>): Promise<{ data: Buffer; status: number }>;
  parseXML(body: Buffer | string): Promise<unknown>;
}

export function internals(client: OSS): OssInternals {
  // ali-oss's public typings omit these; they are stable since 6.x and are what listV2 itself calls.
  return client as unknown as OssInternals;
}

/** listV2's request, signed by ali-oss, but the XML body returned as bytes (no xml2js). */
export async function listV2Raw(
  client: OSS,
  q: { prefix: string; maxKeys: number; continuationToken?: string; urlEncoded?: boolean },
): Promise<Buffer> {
  const c = internals(client);
  const params = c._objectRequestParams(
    'GET',
    '',
    q.continuationToken ? { subres: { 'continuation-token': q.continuationToken } } : {},
  );
  params.query = {
    'list-type': 2,
    'max-keys': q.maxKeys,
    ...(q.prefix ? { prefix: q.prefix } : {}),
    ...(q.urlEncoded ? { 'encoding-type': 'url' } : {}),
  };
  params.successStatuses = [200];
  const res = await c.request(params);
  return res.data;
}
