// Credentials for both OSS and PAI come from the Alibaba Cloud default chain (@alicloud/credentials:
// ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN, ~/.alibabacloud profile, ECS RAM role, OIDC...).
// The credential client caches and refreshes STS tokens itself; we ask it on every use. Secrets never leave
// this object: nothing here is logged, put in job data or in a report.
import * as credentialsNs from '@alicloud/credentials';
import type { Config as CredentialConfigClass } from '@alicloud/credentials';
import { cjsDefault, cjsNamed } from './cjs-interop.ts';

const Credential = cjsDefault<(typeof credentialsNs)['default']['default']>(
  credentialsNs,
  (v) =>
    typeof v === 'function' &&
    typeof (v as { prototype?: { getCredential?: unknown } }).prototype?.getCredential === 'function',
);
const CredentialConfig = cjsNamed<typeof CredentialConfigClass>(credentialsNs, 'Config');
export type CredentialClient = InstanceType<typeof Credential>;

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface CredentialSource {
  get(): Promise<AccessKey>;
  /** The underlying @alicloud/credentials client, for @alicloud/openapi-core. */
  readonly client: CredentialClient;
}

function wrap(client: CredentialClient): CredentialSource {
  return {
    client,
    async get() {
      const c = await client.getCredential();
      if (!c.accessKeyId || !c.accessKeySecret) {
        throw new Error('the credential provider returned no access key');
      }
      return {
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.accessKeySecret,
        ...(c.securityToken ? { securityToken: c.securityToken } : {}),
      };
    },
  };
}

export class CredentialsError extends Error {}

/** The default chain; fails with a message that says how to provide credentials. */
export async function defaultCredentials(): Promise<CredentialSource> {
  const client = new Credential();
  const source = wrap(client);
  try {
    await source.get();
  } catch (err) {
    // The SDK's message lists every provider of the chain it tried (environment, CLI profile, files, ECS
    // metadata...): noise for the usual case of unset variables, so only with DEBUG=1.
    throw new CredentialsError(
      'No Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET ' +
        '(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS), or configure a profile or RAM role.' +
        (process.env.DEBUG ? ` (${(err as Error).message})` : ''),
    );
  }
  return source;
}

export function staticCredentials(key: AccessKey): CredentialSource {
  const config = key.securityToken
    ? new CredentialConfig({ type: 'sts', ...key })
    : new CredentialConfig({
        type: 'access_key',
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      });
  return wrap(new Credential(config));
}
