// Presigned URLs (query-string authentication), as `ali-oss` 6.23 makes them:
//  - V1, `signatureUrl()` (always V1, whatever `authorizationV4` says): `OSSAccessKeyId`, `Expires`
//    (Unix seconds), `Signature` (base64 HMAC-SHA1 of the V1 string to sign with Expires in the Date
//    slot), optional `security-token`.
//  - V4, `signatureUrlV4()`: `x-oss-signature-version=OSS4-HMAC-SHA256`, `x-oss-credential`,
//    `x-oss-date`, `x-oss-expires` (seconds, at most 7 days), `x-oss-signature`, optional
//    `x-oss-additional-headers` and `x-oss-security-token`. Every other query parameter is signed.
// An expired URL answers 403 AccessDenied "Request has expired." with Expires and ServerTime.
import type { Address } from './addressing.ts';
import { type AuthConfig, type AuthRequest, findCredential, matchV4, parseV4Date } from './authenticate.ts';
import { OssError } from './errors.ts';
import { canonicalizedResourceV1, signV1, stringToSignV1 } from './signature-v1.ts';

export const MAX_V4_EXPIRES_S = 7 * 24 * 3600;

/** Query parameters that authenticate a presigned URL rather than select an operation. */
export const PRESIGN_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'OSSAccessKeyId',
  'Expires',
  'Signature',
  'security-token',
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-security-token',
]);

type Query = ReadonlyArray<readonly [string, string]>;

const get = (q: Query, name: string): string | undefined => q.find(([k]) => k === name)?.[1];

export function presignedKind(query: Query): 'v1' | 'v4' | undefined {
  if (get(query, 'x-oss-signature-version') !== undefined) return 'v4';
  if (get(query, 'Signature') !== undefined && get(query, 'OSSAccessKeyId') !== undefined) return 'v1';
  return undefined;
}

function expired(expiresMs: number, cfg: AuthConfig): OssError | undefined {
  if (cfg.now <= expiresMs) return undefined;
  return new OssError('AccessDenied', 'Request has expired.', [
    ['Expires', new Date(expiresMs).toISOString()],
    ['ServerTime', new Date(cfg.now).toISOString()],
  ]);
}

export function verifyPresignedV1(req: AuthRequest, cfg: AuthConfig): number {
  const accessKeyId = get(req.query, 'OSSAccessKeyId') ?? '';
  const rawExpires = get(req.query, 'Expires') ?? '';
  // URLSearchParams turns an unencoded '+' of the base64 signature into a space.
  const provided = (get(req.query, 'Signature') ?? '').replace(/ /g, '+');
  const cred = findCredential(accessKeyId, req, cfg, get(req.query, 'security-token'));
  if (!/^\d{1,12}$/.test(rawExpires)) {
    throw new OssError('InvalidArgument', 'Expires must be a Unix time in seconds.', [
      ['ArgumentName', 'Expires'],
      ['ArgumentValue', rawExpires],
    ]);
  }
  const late = expired(Number(rawExpires) * 1000, cfg);
  if (late) throw late;
  let first: string | undefined;
  for (let i = 0; i < req.addresses.length; i++) {
    const addr = req.addresses[i] as Address;
    const sts = stringToSignV1({
      method: req.method,
      contentMd5: req.headers['content-md5'] ?? '',
      contentType: req.headers['content-type'] ?? '',
      date: rawExpires,
      headers: req.headers,
      resource: canonicalizedResourceV1(addr.bucket, addr.key, req.query),
    });
    first ??= sts;
    if (signV1(cred.accessKeySecret, sts) === provided) return i;
  }
  throw new OssError('SignatureDoesNotMatch', undefined, [
    ['StringToSign', first ?? ''],
    ['SignatureProvided', provided],
    ['OSSAccessKeyId', accessKeyId],
  ]);
}

export function verifyPresignedV4(req: AuthRequest, cfg: AuthConfig): number {
  const version = get(req.query, 'x-oss-signature-version');
  if (version !== 'OSS4-HMAC-SHA256') {
    throw new OssError('InvalidArgument', 'Unsupported x-oss-signature-version.', [
      ['ArgumentName', 'x-oss-signature-version'],
      ['ArgumentValue', version ?? ''],
    ]);
  }
  const scope = (get(req.query, 'x-oss-credential') ?? '').split('/');
  const ossDate = get(req.query, 'x-oss-date') ?? '';
  const rawExpires = get(req.query, 'x-oss-expires') ?? '';
  const signature = get(req.query, 'x-oss-signature') ?? '';
  if (scope.length !== 5 || scope[4] !== 'aliyun_v4_request' || signature === '') {
    throw new OssError('AccessDenied', 'Invalid x-oss-credential or x-oss-signature in the query string.');
  }
  const [accessKeyId, day, region, product] = scope as [string, string, string, string, string];
  const cred = findCredential(accessKeyId, req, cfg, get(req.query, 'x-oss-security-token'));
  const signedAt = parseV4Date(ossDate);
  if (Number.isNaN(signedAt)) {
    throw new OssError('AccessDenied', 'Invalid date in x-oss-date.', [['RequestTime', ossDate]]);
  }
  const expiresS = /^\d{1,7}$/.test(rawExpires) ? Number(rawExpires) : NaN;
  if (!(expiresS >= 1 && expiresS <= MAX_V4_EXPIRES_S)) {
    throw new OssError(
      'InvalidArgument',
      `x-oss-expires must be between 1 and ${MAX_V4_EXPIRES_S} seconds.`,
      [
        ['ArgumentName', 'x-oss-expires'],
        ['ArgumentValue', rawExpires],
      ],
    );
  }
  const late = expired(signedAt + expiresS * 1000, cfg);
  if (late) throw late;
  if (day !== ossDate.slice(0, 8))
    throw new OssError('AccessDenied', 'Invalid signing date in x-oss-credential.');
  if (region !== cfg.region || product !== 'oss') {
    throw new OssError(
      'AccessDenied',
      `Invalid signing region in x-oss-credential (expected ${cfg.region}/oss).`,
    );
  }
  const rawAdditional = get(req.query, 'x-oss-additional-headers');
  const additionalHeaders = rawAdditional ? rawAdditional.split(';').map((h) => h.trim().toLowerCase()) : [];
  for (const h of additionalHeaders) {
    if (req.headers[h] === undefined)
      throw new OssError('AccessDenied', `Additional header ${h} is not in the request.`);
  }
  return matchV4(req, cred, {
    query: req.query.filter(([k]) => k !== 'x-oss-signature'),
    ossDate,
    day,
    region,
    product,
    additionalHeaders,
    signature,
    accessKeyId,
  });
}
