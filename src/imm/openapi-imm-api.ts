// ImmApi over @alicloud/openapi-core's callApi, exactly as the generated @alicloud/imm20200930 client calls
// it (that package is not on every registry): RPC style, POST /, every parameter in the query string, and
// list/object parameters JSON-encoded into one value each (the SDK's *ShrinkRequest fields). Keep every SDK
// quirk in this file.
import { $OpenApiUtil, OpenApiUtil, RuntimeOptions, openApiClient } from '../config/openapi-core.ts';
import type { CredentialSource } from '../config/credentials.ts';
import { classifySdkError } from '../pai/errors.ts';
import { immEndpoint } from './endpoint.ts';
import type { ImmApi, ImmFile, ImmQueryPage, ImmTarget } from './imm-api.ts';

const API_VERSION = '2020-09-30';

export interface OpenApiImmApiOptions {
  /** host[:port]; default imm.<region>.aliyuncs.com */
  endpoint?: string;
  region: string;
  protocol: 'https' | 'http';
  credentials: CredentialSource;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toFile(x: Json): ImmFile {
  return {
    URI: String(x.URI ?? ''),
    ...(str(x.ObjectStatus) ? { ObjectStatus: str(x.ObjectStatus) } : {}),
    ...(str(x.Reason) ? { Reason: str(x.Reason) } : {}),
    ...(x.CustomLabels && typeof x.CustomLabels === 'object'
      ? { CustomLabels: x.CustomLabels as Record<string, unknown> }
      : {}),
    ...(typeof x.Size === 'number' ? { Size: x.Size } : {}),
    ...(str(x.ETag) ? { ETag: str(x.ETag) } : {}),
    ...(str(x.FileModifiedTime) ? { FileModifiedTime: str(x.FileModifiedTime) } : {}),
    ...(str(x.UpdateTime) ? { UpdateTime: str(x.UpdateTime) } : {}),
  };
}

function files(body: Json): ImmFile[] {
  return Array.isArray(body.Files) ? (body.Files as Json[]).map(toFile) : [];
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: string; cause?: { statusCode?: number } };
  return /NotFound|NotExist/i.test(e.code ?? '') || e.cause?.statusCode === 404;
}

export function createOpenApiImmApi(opts: OpenApiImmApiOptions): ImmApi {
  const client = openApiClient({ ...opts, endpoint: immEndpoint(opts.region, opts.endpoint) });

  async function call(action: string, params: Json): Promise<Json> {
    const query: Json = {};
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      // The SDK's arrayToStringWithSpecifiedStyle(value, name, 'json') for list and object parameters.
      query[k] = typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
    }
    const p = new $OpenApiUtil.Params({
      action,
      version: API_VERSION,
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    // No SDK-level retries: the caller's retry policy (jittered, throttle-aware) is the only one.
    const runtime = new RuntimeOptions({
      autoretry: false,
      readTimeout: opts.readTimeoutMs ?? 30_000,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
    });
    try {
      const res = (await client.callApi(p, request, runtime)) as { body?: unknown };
      return (res.body ?? {}) as Json;
    } catch (err) {
      throw classifySdkError(err, action);
    }
  }

  const base = (t: ImmTarget): Json => ({ ProjectName: t.project, DatasetName: t.dataset });

  return {
    async projectExists(project) {
      try {
        await call('GetProject', { ProjectName: project });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    async getDataset(t, withStatistics = false) {
      try {
        const body = await call('GetDataset', {
          ...base(t),
          ...(withStatistics ? { WithStatistics: true } : {}),
        });
        const d = (body.Dataset ?? {}) as Json;
        return {
          project: t.project,
          dataset: t.dataset,
          ...(typeof d.FileCount === 'number' ? { fileCount: d.FileCount } : {}),
          ...(typeof d.TotalFileSize === 'number' ? { totalFileSize: d.TotalFileSize } : {}),
        };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async createDataset(t, o = {}) {
      try {
        await call('CreateDataset', {
          ...base(t),
          ...(o.templateId ? { TemplateId: o.templateId } : {}),
          ...(o.description ? { Description: o.description } : {}),
        });
      } catch (err) {
        if (/AlreadyExist/i.test((err as { code?: string }).code ?? '')) return;
        throw err;
      }
    },

    async batchIndex(t, list) {
      const body = await call('BatchIndexFileMeta', { ...base(t), Files: list });
      return str(body.EventId) ? { eventId: str(body.EventId)! } : {};
    },

    async batchGet(t, uris) {
      return files(await call('BatchGetFileMeta', { ...base(t), URIs: uris }));
    },

    async batchDelete(t, uris) {
      await call('BatchDeleteFileMeta', { ...base(t), URIs: uris });
    },

    async simpleQuery(t, page): Promise<ImmQueryPage> {
      const body = await call('SimpleQuery', {
        ...base(t),
        ...(page.query ? { Query: page.query } : {}),
        MaxResults: page.maxResults,
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
        WithFields: ['URI', 'ObjectStatus', 'CustomLabels', 'Size', 'ETag', 'FileModifiedTime', 'UpdateTime'],
        // Counting every hit costs the service a full scan per page; the sink never needs the total.
        WithoutTotalHits: true,
      });
      return { files: files(body), ...(str(body.NextToken) ? { nextToken: str(body.NextToken)! } : {}) };
    },
  };
}
