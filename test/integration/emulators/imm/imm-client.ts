// The REAL @alicloud/openapi-core client pointed at the IMM emulator, called exactly as the generated
// @alicloud/imm20200930 client calls it: callApi with RPC params (POST /, parameters in the query string,
// list and object parameters JSON-encoded into one value each, as its *ShrinkRequest models do).
import openapiModule, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import credentialsModule, * as credentialsNamespace from '@alicloud/credentials';
import * as $dara from '@darabonba/typescript';

type Interop<T> = T | { default: T };
function unwrap<T>(mod: Interop<T>): T {
  return typeof mod === 'function' ? mod : (mod as { default: T }).default;
}
const OpenApi = unwrap(openapiModule as Interop<typeof openapiModule.default>);
const Credential = unwrap(credentialsModule as Interop<typeof credentialsModule.default>);
const CredentialConfig = credentialsNamespace.Config;

export type Json = Record<string, unknown>;

export interface CallResult {
  statusCode: number;
  body: Json;
  headers: Record<string, string>;
}

export interface SdkError {
  name: string;
  code: string;
  statusCode?: number;
  message: string;
  retryAfter?: number;
  data?: Json;
}

/** Parameters whose value is sent as JSON text (the SDK's arrayToStringWithSpecifiedStyle(..., 'json')). */
const JSON_PARAMS = new Set([
  'File',
  'Files',
  'URIs',
  'WithFields',
  'Query',
  'Aggregations',
  'Notification',
  'WorkflowParameters',
  'DatasetConfig',
  'Tag',
]);

export class ImmTestClient {
  private readonly client: InstanceType<typeof OpenApi>;

  constructor(endpoint: string, cred = { accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }) {
    const credential = new Credential(new CredentialConfig({ type: 'access_key', ...cred }));
    this.client = new OpenApi(new $OpenApiUtil.Config({ credential, endpoint, protocol: 'http' }));
  }

  async call(action: string, params: Json = {}, version = '2020-09-30'): Promise<CallResult> {
    const query: Json = {};
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      query[k] = JSON_PARAMS.has(k) && typeof v !== 'string' ? JSON.stringify(v) : v;
    }
    const p = new $OpenApiUtil.Params({
      action,
      version,
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    return (await this.client.callApi(p, request, new $dara.RuntimeOptions({}))) as CallResult;
  }

  async fail(action: string, params: Json = {}, version?: string): Promise<SdkError> {
    try {
      const res = await this.call(action, params, version);
      throw new Error(`expected ${action} to fail, got HTTP ${res.statusCode}: ${JSON.stringify(res.body)}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('expected ')) throw err;
      return err as SdkError;
    }
  }
}

export const P = 'test-project';
export const D = 'test-dataset';

export function file(key: string, extra: Json = {}): Json {
  return { URI: `oss://bkt/${key}`, CustomLabels: { fp: `fp-${key}` }, ...extra };
}

/** Polls `probe` until it returns a value (not undefined); a condition wait, never a fixed sleep. */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('until: condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
