// Checks a verb makes before it starts a run, so that a wrong endpoint or key fails in seconds with the flag
// or variable to fix, instead of a run that retries for minutes and then shows a raw client dump.
import { connect } from 'node:net';
import type { SourceConfig } from '../config/schema.ts';
import type { ObjectStore } from '../oss/object-store.ts';
import { UsageError } from './fail.ts';

/** The OSS endpoint the client will use: the flag, or the region's public endpoint. */
export function effectiveOssEndpoint(source: Pick<SourceConfig, 'endpoint' | 'region'>): string {
  return source.endpoint ?? `https://oss-${source.region}.aliyuncs.com`;
}

/** A TCP connection to the endpoint's host and port, given up after timeoutMs. */
export async function checkReachable(endpoint: string, timeoutMs: number): Promise<string | undefined> {
  const u = new URL(endpoint);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => done(`no answer within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

const AUTH_CODES: Record<string, string> = {
  SignatureDoesNotMatch:
    'the access key secret was refused (check ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_ACCESS_KEY_ID)',
  IncompleteSignature:
    'the access key secret was refused (check ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_ACCESS_KEY_ID)',
  InvalidAccessKeyId: 'the access key id is not known (check ALIBABA_CLOUD_ACCESS_KEY_ID)',
  'InvalidAccessKeyId.NotFound': 'the access key id is not known (check ALIBABA_CLOUD_ACCESS_KEY_ID)',
  'InvalidSecurityToken.Expired': 'the STS token has expired (renew ALIBABA_CLOUD_SECURITY_TOKEN)',
  SecurityTokenExpired: 'the STS token has expired (renew ALIBABA_CLOUD_SECURITY_TOKEN)',
  InvalidSecurityToken: 'the STS token was refused (check ALIBABA_CLOUD_SECURITY_TOKEN)',
};

/** The error's service code, wherever the client put it (ali-oss: code; openapi-core: code or cause.code). */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in AUTH_CODES) return code;
    e = (e as { cause?: unknown }).cause;
  }
  // Some wrappers keep only the text ("CreateDataset failed: ...: SignatureDoesNotMatch: code: 403, ...").
  const text = err instanceof Error ? err.message : String(err);
  return Object.keys(AUTH_CODES)
    .sort((a, b) => b.length - a.length)
    .find((code) => new RegExp(`(^|[\\s:(])${code.replace('.', '\\.')}([\\s:),]|$)`).test(text));
}

/** A refused key or secret as one sentence naming the service and what to check; undefined otherwise. */
export function explainAuthError(err: unknown, service: 'OSS' | 'PAI'): string | undefined {
  const code = errorCode(err);
  return code ? `${service}: ${AUTH_CODES[code]}` : undefined;
}

/**
 * OSS reachable (a TCP connect within a few seconds), then one signed listing of one key: a wrong endpoint,
 * bucket or key fails here with the flag or variable to check.
 */
export async function preflightOss(
  source: Pick<SourceConfig, 'endpoint' | 'region' | 'bucket' | 'prefix'>,
  store: () => Promise<ObjectStore>,
  timeoutMs = 5_000,
): Promise<void> {
  const endpoint = effectiveOssEndpoint(source);
  const unreachable = await checkReachable(endpoint, timeoutMs);
  if (unreachable) {
    throw new UsageError(`cannot reach OSS at ${endpoint} (check --oss-endpoint): ${unreachable}`);
  }
  try {
    await (await store()).listPage({ prefix: source.prefix, maxKeys: 1 });
  } catch (err) {
    const auth = explainAuthError(err, 'OSS');
    if (auth) throw new UsageError(auth);
    const code = (err as { code?: unknown }).code;
    if (code === 'NoSuchBucket') {
      throw new UsageError(`OSS: bucket ${source.bucket} does not exist at ${endpoint} (check --bucket)`);
    }
    if (code === 'AccessDenied') {
      throw new UsageError(
        `OSS: access to bucket ${source.bucket} was denied (the key needs oss:ListObjects)`,
      );
    }
    throw err;
  }
}
