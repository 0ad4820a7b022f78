// @alicloud/openapi-core and @darabonba/typescript as both API clients (PAI, IMM) use them: their CommonJS
// exports resolved once (cjs-interop.ts), and the client both build, which is what the generated SDK clients
// (@alicloud/aiworkspace20210204, @alicloud/imm20200930) build inside.
import * as openapiNs from '@alicloud/openapi-core';
import type {
  $OpenApiUtil as OpenApiUtilModels,
  OpenApiUtil as OpenApiUtilClass,
} from '@alicloud/openapi-core';
import * as daraNs from '@darabonba/typescript';
import { cjsDefault, cjsNamed } from './cjs-interop.ts';
import type { CredentialSource } from './credentials.ts';

export const OpenApi = cjsDefault<(typeof openapiNs)['default']['default']>(
  openapiNs,
  (v) =>
    typeof v === 'function' &&
    typeof (v as { prototype?: { callApi?: unknown } }).prototype?.callApi === 'function',
);
export const $OpenApiUtil = cjsNamed<typeof OpenApiUtilModels>(openapiNs, '$OpenApiUtil');
export const OpenApiUtil = cjsNamed<typeof OpenApiUtilClass>(openapiNs, 'OpenApiUtil');
export const RuntimeOptions = cjsNamed<typeof daraNs.RuntimeOptions>(daraNs, 'RuntimeOptions');
export const DaraURL = cjsNamed<typeof daraNs.URL>(daraNs, 'URL');
export type OpenApiClient = InstanceType<typeof OpenApi>;

/** The SDK client for one service endpoint (host[:port]) and region. */
export function openApiClient(opts: {
  credentials: CredentialSource;
  endpoint: string;
  protocol: 'https' | 'http';
  region: string;
}): OpenApiClient {
  return new OpenApi(
    new $OpenApiUtil.Config({
      credential: opts.credentials.client,
      endpoint: opts.endpoint,
      protocol: opts.protocol,
      regionId: opts.region,
    }),
  );
}
