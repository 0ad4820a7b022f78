// The REAL @alicloud/openapi-core client pointed at an emulator, as the generated aiworkspace20210204
// client would call it (callApi with ROA params). Tests go through this, never through raw HTTP,
// except where a case needs a request the SDK cannot produce.
import openapiModule, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import credentialsModule, * as credentialsNamespace from '@alicloud/credentials';
import * as $dara from '@darabonba/typescript';

// Both packages are CommonJS compiled from TypeScript. Plain Node ESM hands the default import over as
// `module.exports` (class on `.default`), vitest's interop hands over the class itself: accept both.
type Interop<T> = T | { default: T };
function unwrap<T>(mod: Interop<T>): T {
  return typeof mod === 'function' ? mod : (mod as { default: T }).default;
}
const OpenApi = unwrap(openapiModule as Interop<typeof openapiModule.default>);
const Credential = unwrap(credentialsModule as Interop<typeof credentialsModule.default>);
const CredentialConfig = credentialsNamespace.Config;

export interface TestCredential {
  type?: 'access_key' | 'sts';
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export const DEFAULT_TEST_CREDENTIAL: TestCredential = {
  accessKeyId: 'emulator-ak',
  accessKeySecret: 'emulator-secret',
};

export type Json = Record<string, unknown>;

export interface CallResult {
  statusCode: number;
  body: Json;
  headers: Record<string, string>;
}

/** What a rejected call looks like (the SDK's AlibabaCloudError subclasses). */
export interface SdkError {
  name: string;
  code: string;
  statusCode?: number;
  message: string;
  retryAfter?: number;
  data?: Json;
}

export class PaiTestClient {
  private readonly client: InstanceType<typeof OpenApi>;

  constructor(endpoint: string, cred: TestCredential = DEFAULT_TEST_CREDENTIAL) {
    const credential = new Credential(
      new CredentialConfig({
        type: cred.type ?? 'access_key',
        accessKeyId: cred.accessKeyId,
        accessKeySecret: cred.accessKeySecret,
        ...(cred.securityToken ? { securityToken: cred.securityToken } : {}),
      }),
    );
    this.client = new OpenApi(new $OpenApiUtil.Config({ credential, endpoint, protocol: 'http' }));
  }

  async call(
    action: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    pathname: string,
    req: { body?: Json; query?: Json } = {},
  ): Promise<CallResult> {
    const params = new $OpenApiUtil.Params({
      action,
      version: '2021-02-04',
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
    const res = (await this.client.callApi(params, request, new $dara.RuntimeOptions({}))) as CallResult;
    return res;
  }

  /** Runs a call that must fail and returns the SDK error. */
  async fail(
    action: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    pathname: string,
    req: { body?: Json; query?: Json } = {},
  ): Promise<SdkError> {
    try {
      const res = await this.call(action, method, pathname, req);
      throw new Error(`expected ${action} to fail, got HTTP ${res.statusCode}: ${JSON.stringify(res.body)}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('expected ')) throw err;
      return err as SdkError;
    }
  }

  // Typed shortcuts for the operations the tests use most.

  createDataset(body: Json): Promise<CallResult> {
    return this.call('CreateDataset', 'POST', '/api/v1/datasets', { body });
  }

  createMetas(datasetId: string, workspaceId: string, items: Json[], version = 'v1'): Promise<CallResult> {
    return this.call('CreateDatasetFileMetas', 'POST', metasPath(datasetId), {
      body: { WorkspaceId: workspaceId, DatasetVersion: version, DatasetFileMetas: items },
    });
  }

  updateMetas(datasetId: string, workspaceId: string, items: Json[]): Promise<CallResult> {
    return this.call('UpdateDatasetFileMetas', 'PUT', metasPath(datasetId), {
      body: { WorkspaceId: workspaceId, DatasetVersion: 'v1', DatasetFileMetas: items },
    });
  }

  deleteMetas(datasetId: string, workspaceId: string, ids: string[]): Promise<CallResult> {
    return this.call('DeleteDatasetFileMetas', 'DELETE', metasPath(datasetId), {
      query: { WorkspaceId: workspaceId, DatasetVersion: 'v1', DatasetFileMetaIds: ids.join(',') },
    });
  }

  listMetas(datasetId: string, workspaceId: string, query: Json = {}): Promise<CallResult> {
    return this.call('ListDatasetFileMetas', 'GET', metasPath(datasetId), {
      query: { WorkspaceId: workspaceId, DatasetVersion: 'v1', ...query },
    });
  }

  /** Every page of a listing, following NextToken. */
  async listAll(datasetId: string, workspaceId: string, query: Json = {}): Promise<Json[]> {
    const out: Json[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      // A broken cursor would page forever; no test dataset needs this many pages.
      if (++pages > 1000) throw new Error('listAll: more than 1000 pages, the NextToken does not advance');
      const res = await this.listMetas(datasetId, workspaceId, {
        MaxResults: 100,
        ...query,
        ...(token ? { NextToken: token } : {}),
      });
      out.push(...(res.body.DatasetFileMetas as Json[]));
      token = res.body.NextToken as string | undefined;
    } while (token);
    return out;
  }
}

export function metasPath(datasetId: string): string {
  // What $dara.URL.percentEncode does for ids (it is not reachable through every ESM interop).
  return `/api/v1/datasets/${encodeURIComponent(datasetId)}/datasetfilemetas`;
}

/** A valid CreateDatasetFileMetas item for `key` under bucket `b`. */
export function item(key: string, extra: Json = {}): Json {
  return {
    Uri: `oss://b/${key}`,
    FileFingerPrint: 'D41D8CD98F00B204E9800998ECF8427E',
    FileType: 'image',
    ContentType: 'image/jpeg',
    FileUpdateTime: '2025-01-12T14:36:01Z',
    DataSize: 100,
    ...extra,
  };
}

export const WS = 'ws-1';

/** An ADVANCED OSS dataset in workspace WS; returns its id. */
export async function advancedDataset(client: PaiTestClient, extra: Json = {}): Promise<string> {
  const res = await client.createDataset({
    Name: 'sync-target',
    Property: 'DIRECTORY',
    DataSourceType: 'OSS',
    Uri: 'oss://b.oss-cn-hangzhou.aliyuncs.com/',
    Edition: 'ADVANCED',
    WorkspaceId: WS,
    ...extra,
  });
  return res.body.DatasetId as string;
}
