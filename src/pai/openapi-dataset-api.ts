// DatasetApi over @alicloud/openapi-core's callApi: exactly what the generated @alicloud/aiworkspace20210204
// client does inside (that package is not on every registry). Keep every SDK quirk in this file.
import {
  $OpenApiUtil,
  DaraURL,
  OpenApiUtil,
  RuntimeOptions,
  openApiClient,
  type OpenApiClient,
} from '../config/openapi-core.ts';
import type { CredentialSource } from '../config/credentials.ts';
import type {
  CreateDatasetInput,
  DatasetApi,
  DatasetInfo,
  DatasetTarget,
  FileMetaCreate,
  FileMetaRecord,
  FileMetaResult,
  FileMetaUpdate,
  ListFileMetasPage,
  WriteResponse,
} from './dataset-api.ts';
import { paiEndpoint } from './endpoint.ts';
import { classifySdkError } from './errors.ts';

const API_VERSION = '2021-02-04';

export interface OpenApiDatasetApiOptions {
  /** host[:port]; default: the official SDK's endpoint for the region (endpoint.ts) */
  endpoint?: string;
  region: string;
  protocol: 'https' | 'http';
  credentials: CredentialSource;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function toResults(v: unknown): FileMetaResult[] {
  if (!Array.isArray(v)) return [];
  // One object per result, fields set only when present (no spreads: a full sync reads one per object).
  return v.map((x: Json) => {
    const r: FileMetaResult = {};
    const id = str(x.DatasetFileMetaId);
    if (id) r.DatasetFileMetaId = id;
    const uri = str(x.Uri);
    if (uri) r.Uri = uri;
    const result = str(x.Result);
    if (result) r.Result = result;
    return r;
  });
}

function toWrite(body: Json): WriteResponse {
  return {
    // Status false means "check FailedDetails"; it is never read as success.
    status: body.Status === true,
    failed: toResults(body.FailedDetails),
    succeeded: toResults(body.SucceedDetails),
    ...(str(body.RequestId) ? { requestId: str(body.RequestId) } : {}),
  };
}

export function createOpenApiDatasetApi(opts: OpenApiDatasetApiOptions): DatasetApi {
  const client: OpenApiClient = openApiClient({
    ...opts,
    endpoint: paiEndpoint(opts.region, opts.endpoint),
  });

  async function call(
    action: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    pathname: string,
    req: { body?: Json; query?: Json },
  ): Promise<Json> {
    const params = new $OpenApiUtil.Params({
      action,
      version: API_VERSION,
      protocol: 'HTTPS',
      pathname,
      method,
      authType: 'AK',
      style: 'ROA',
      reqBodyType: 'json',
      bodyType: 'json',
    });
    const request = new $OpenApiUtil.OpenApiRequest({
      ...(req.body ? { body: req.body } : {}),
      ...(req.query ? { query: OpenApiUtil.query(req.query) } : {}),
    });
    // No SDK-level retries: the caller's retry policy (jittered, throttle-aware) is the only one.
    const runtime = new RuntimeOptions({
      autoretry: false,
      readTimeout: opts.readTimeoutMs ?? 30_000,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
    });
    try {
      const res = (await client.callApi(params, request, runtime)) as { body?: unknown };
      return (res.body ?? {}) as Json;
    } catch (err) {
      throw classifySdkError(err, action);
    }
  }

  const metasPath = (t: DatasetTarget) =>
    `/api/v1/datasets/${DaraURL.percentEncode(t.datasetId)}/datasetfilemetas`;

  return {
    async createFileMetas(t: DatasetTarget, items: FileMetaCreate[]): Promise<WriteResponse> {
      const body = await call('CreateDatasetFileMetas', 'POST', metasPath(t), {
        body: { WorkspaceId: t.workspaceId, DatasetVersion: t.datasetVersion, DatasetFileMetas: items },
      });
      return toWrite(body);
    },

    async updateFileMetas(t: DatasetTarget, items: FileMetaUpdate[]): Promise<WriteResponse> {
      const body = await call('UpdateDatasetFileMetas', 'PUT', metasPath(t), {
        body: { WorkspaceId: t.workspaceId, DatasetVersion: t.datasetVersion, DatasetFileMetas: items },
      });
      return toWrite(body);
    },

    async deleteFileMetas(t: DatasetTarget, ids: string[]): Promise<WriteResponse> {
      const body = await call('DeleteDatasetFileMetas', 'DELETE', metasPath(t), {
        query: {
          WorkspaceId: t.workspaceId,
          DatasetVersion: t.datasetVersion,
          DatasetFileMetaIds: ids.join(','),
        },
      });
      return toWrite(body);
    },

    async listFileMetas(t, page): Promise<ListFileMetasPage> {
      const query: Json = {
        WorkspaceId: t.workspaceId,
        DatasetVersion: t.datasetVersion,
        MaxResults: page.maxResults,
      };
      if (page.nextToken) query.NextToken = page.nextToken;
      if (page.queryFileName) query.QueryFileName = page.queryFileName;
      if (page.queryFileDir !== undefined) query.QueryFileDir = page.queryFileDir;
      if (page.queryExpression !== undefined) query.QueryExpression = page.queryExpression;
      const body = await call('ListDatasetFileMetas', 'GET', metasPath(t), { query });
      const list = Array.isArray(body.DatasetFileMetas) ? (body.DatasetFileMetas as Json[]) : [];
      const records: FileMetaRecord[] = list.map((r) => ({
        DatasetFileMetaId: String(r.DatasetFileMetaId ?? ''),
        Uri: String(r.Uri ?? ''),
        ...(str(r.FileFingerPrint) ? { FileFingerPrint: str(r.FileFingerPrint) } : {}),
        ...(typeof r.DataSize === 'number' ? { DataSize: r.DataSize } : {}),
        ...(str(r.FileUpdateTime) ? { FileUpdateTime: str(r.FileUpdateTime) } : {}),
        ...(str(r.Status) ? { Status: str(r.Status) } : {}),
        raw: r,
      }));
      return {
        records,
        ...(str(body.NextToken) ? { nextToken: str(body.NextToken) } : {}),
        ...(typeof body.TotalCount === 'number' ? { totalCount: body.TotalCount } : {}),
      };
    },

    async createDataset(input: CreateDatasetInput): Promise<string> {
      const body = await call('CreateDataset', 'POST', '/api/v1/datasets', {
        body: {
          WorkspaceId: input.workspaceId,
          Name: input.name,
          Edition: input.edition,
          DataSourceType: 'OSS',
          Property: 'DIRECTORY',
          Uri: input.uri,
        },
      });
      const id = str(body.DatasetId);
      if (!id) throw new Error('CreateDataset answered without a DatasetId');
      return id;
    },

    async findDatasets(workspaceId: string, name: string): Promise<DatasetInfo[]> {
      const found: DatasetInfo[] = [];
      // Name filters by substring: pages are read to the end and only exact names kept.
      for (let page = 1; ; page++) {
        const body = await call('ListDatasets', 'GET', '/api/v1/datasets', {
          query: {
            WorkspaceId: workspaceId,
            Name: name,
            SortBy: 'GmtCreateTime',
            Order: 'ASC',
            PageNumber: page,
            PageSize: 100,
          },
        });
        const list = Array.isArray(body.Datasets) ? (body.Datasets as Json[]) : [];
        for (const d of list) {
          if (d.Name !== name) continue;
          found.push({
            datasetId: String(d.DatasetId ?? ''),
            name,
            ...(str(d.Edition) ? { edition: str(d.Edition) } : {}),
            ...(str(d.WorkspaceId) ? { workspaceId: str(d.WorkspaceId) } : {}),
          });
        }
        const total = typeof body.TotalCount === 'number' ? body.TotalCount : 0;
        if (list.length === 0 || page * 100 >= total) return found;
      }
    },

    async getDataset(datasetId: string): Promise<DatasetInfo | undefined> {
      try {
        const body = await call(
          'GetDataset',
          'GET',
          `/api/v1/datasets/${DaraURL.percentEncode(datasetId)}`,
          {},
        );
        return {
          datasetId: str(body.DatasetId) ?? datasetId,
          name: str(body.Name) ?? '',
          ...(str(body.Edition) ? { edition: str(body.Edition) } : {}),
          ...(str(body.WorkspaceId) ? { workspaceId: str(body.WorkspaceId) } : {}),
        };
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (/NotFound|NotExist/i.test(code)) return undefined;
        throw err;
      }
    },
  };
}
