// Builds real ali-oss clients against an emulator in either addressing style and signing version.
import OSS from 'ali-oss';
import type { OssEmulator } from '../../../../src/emulators/oss/index.ts';

export const AK = 'emulator-ak';
export const SK = 'emulator-secret';

export interface ClientMode {
  name: string;
  v4: boolean;
  pathStyle: boolean;
}

export const MODES: ClientMode[] = [
  { name: 'V1 vhost (IP endpoint)', v4: false, pathStyle: false },
  { name: 'V1 path style (localhost + sldEnable)', v4: false, pathStyle: true },
  { name: 'V4 vhost (IP endpoint)', v4: true, pathStyle: false },
  { name: 'V4 path style (localhost + sldEnable)', v4: true, pathStyle: true },
];

type Res = { res: OSS.NormalSuccessResponse; status: number };

/**
 * ali-oss 6.23 as it is at runtime: @types/ali-oss lacks object tagging and the generic `request`,
 * and types listBuckets as returning an array where the client returns a page object.
 */
export type OssClient = Omit<OSS, 'listBuckets'> & {
  listBuckets(query?: Record<string, unknown>): Promise<{
    buckets: Array<{ name: string; region: string; creationDate: string; storageClass: string }> | null;
    owner: { id: string; displayName: string };
    isTruncated: boolean;
    nextMarker: string | null;
    res: OSS.NormalSuccessResponse;
  }>;
  putObjectTagging(name: string, tag: Record<string, string>): Promise<Res>;
  getObjectTagging(name: string): Promise<Res & { tag: Record<string, string> }>;
  deleteObjectTagging(name: string): Promise<Res>;
  /** The raw request path every method goes through (signed like any other call). */
  request(params: Record<string, unknown>): Promise<Res & { data: unknown }>;
};

export function client(
  emu: OssEmulator,
  bucket: string,
  mode: Partial<ClientMode> = {},
  extra: Record<string, unknown> = {},
): OssClient {
  const options = {
    accessKeyId: AK,
    accessKeySecret: SK,
    bucket,
    endpoint: mode.pathStyle ? `http://localhost:${emu.port}` : emu.endpoint,
    region: 'oss-cn-hangzhou',
    authorizationV4: mode.v4 ?? true,
    // sldEnable and amendTimeSkewed exist at runtime but are missing from @types/ali-oss.
    sldEnable: mode.pathStyle ?? false,
    timeout: 10_000,
    ...extra,
  };
  return new OSS(options as OSS.Options) as unknown as OssClient;
}

/** ali-oss rejects with an Error carrying OSS fields; this narrows it for assertions. */
export async function ossError(
  p: Promise<unknown>,
): Promise<{ name: string; code?: string; status?: number; message: string; params?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; code?: string; status?: number; message: string };
  }
  throw new Error('expected the call to fail');
}
