// ObjectStore over the real ali-oss client. Keep every ali-oss quirk in this file.
import OSS from 'ali-oss';
import type { Readable } from 'node:stream';
import type { AccessKey, CredentialSource } from '../config/credentials.ts';
import { parseListObjectsV2 } from './list-page-parser.ts';
import type { ListPage, ListPageRequest, ObjectHead, ObjectStore } from './object-store.ts';

export interface AliOssStoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  pathStyle?: boolean;
  credentials: CredentialSource;
  timeoutMs?: number;
}

/** The two ali-oss internals listV2 is made of (not in its typings). */
interface RawRequester {
  _objectRequestParams(
    method: string,
    name: string,
    options: { subres?: Record<string, string> },
  ): { query?: Record<string, string | number>; successStatuses?: number[] };
  request(params: object): Promise<{ data: Buffer }>;
}

function makeClient(opts: AliOssStoreOptions, cred: AccessKey): OSS {
  const options: Record<string, unknown> = {
    bucket: opts.bucket,
    region: `oss-${opts.region}`,
    accessKeyId: cred.accessKeyId,
    accessKeySecret: cred.accessKeySecret,
    authorizationV4: true,
    timeout: opts.timeoutMs ?? 60_000,
    // One quick retry of network resets; everything else is retried by the job layer.
    retryMax: 1,
  };
  if (cred.securityToken) {
    options.stsToken = cred.securityToken;
  }
  if (opts.endpoint) options.endpoint = opts.endpoint;
  if (opts.pathStyle) options.sldEnable = true;
  // The ali-oss typings lack sldEnable/retryMax; the runtime accepts them.
  return new OSS(options as unknown as OSS.Options);
}

function headFrom(h: Record<string, string | undefined>): ObjectHead {
  return {
    etag: h.etag ?? '',
    size: Number(h['content-length'] ?? 0),
    lastModified: h['last-modified'] ? Date.parse(h['last-modified']) : 0,
    ...(h['content-type'] ? { contentType: h['content-type'] } : {}),
    ...(h['x-oss-hash-crc64ecma'] ? { crc64: h['x-oss-hash-crc64ecma'] } : {}),
  };
}

function isNotFound(err: unknown): boolean {
  const e = err as { status?: number; code?: string };
  return e.status === 404 || e.code === 'NoSuchKey';
}

export async function createAliOssStore(opts: AliOssStoreOptions): Promise<ObjectStore> {
  let current = await opts.credentials.get();
  let client = makeClient(opts, current);

  async function oss(): Promise<OSS> {
    // The credential client refreshes STS tokens; rebuild the OSS client when the key it hands out changes.
    const cred = await opts.credentials.get();
    if (cred.accessKeyId !== current.accessKeyId || cred.securityToken !== current.securityToken) {
      current = cred;
      client = makeClient(opts, cred);
    }
    return client;
  }

  return {
    async listPage(req: ListPageRequest): Promise<ListPage> {
      const query: Record<string, string | number> = {
        'list-type': 2,
        'max-keys': req.maxKeys,
        'encoding-type': 'url',
      };
      // ali-oss signs an empty prefix as "prefix=": only send it when there is one.
      if (req.prefix) query.prefix = req.prefix;
      if (req.delimiter) query.delimiter = req.delimiter;
      if (!req.continuationToken && req.startAfter) query['start-after'] = req.startAfter;
      const c = (await oss()) as unknown as RawRequester;
      // What ali-oss's listV2 does, minus its xml2js parse (see list-page-parser.ts): the same signing, the
      // continuation token as a sub-resource, the same error objects for non-200 answers.
      const params = c._objectRequestParams('GET', '', {
        ...(req.continuationToken ? { subres: { 'continuation-token': req.continuationToken } } : {}),
      });
      params.query = query;
      params.successStatuses = [200];
      const res = await c.request(params);
      const page = parseListObjectsV2(res.data, true);
      return {
        // The parser's entries are the pipeline's (no copy per object).
        objects: page.objects,
        commonPrefixes: page.prefixes,
        ...(page.nextContinuationToken ? { nextContinuationToken: page.nextContinuationToken } : {}),
      };
    },

    async head(key: string): Promise<ObjectHead | undefined> {
      const c = await oss();
      try {
        const res = await c.head(key);
        return headFrom(res.res.headers as Record<string, string | undefined>);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async getStream(key: string): Promise<{ stream: Readable; head: ObjectHead } | undefined> {
      const c = await oss();
      try {
        const res = await c.getStream(key);
        return {
          stream: res.stream as Readable,
          head: headFrom((res.res as unknown as { headers: Record<string, string | undefined> }).headers),
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}
