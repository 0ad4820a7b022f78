// Verifies V1 and V4 header signatures against the configured credentials and reports failures with
// the same codes and body fields as OSS. Order of checks: header shape, access key, STS token,
// clock skew, signature (a skewed but correctly signed request gets RequestTimeTooSkewed, as on OSS).
import type { Address } from './addressing.ts';
import { OssError } from './errors.ts';
import { canonicalizedResourceV1, isSubResource, signV1, stringToSignV1 } from './signature-v1.ts';
import { canonicalRequestV4, parseV4Authorization, signV4, stringToSignV4 } from './signature-v4.ts';
import { presignedKind, verifyPresignedV1, verifyPresignedV4 } from './presigned.ts';
import type { OssCredential } from './types.ts';

export interface AuthRequest {
  method: string;
  /** Lower-case names; values already re-decoded as UTF-8. */
  headers: Readonly<Record<string, string>>;
  /** Decoded query parameters in request order ('' for `k` and `k=`). */
  query: ReadonlyArray<readonly [string, string]>;
  /** Readings of bucket/key, in order of preference (see addressing.ts). */
  addresses: readonly Address[];
}

export interface AuthConfig {
  credentials: readonly OssCredential[];
  region: string;
  maxClockSkewMs: number;
  now: number;
}

/** Returns the index of the address reading whose signature matched; throws OssError otherwise. */
export function authenticate(req: AuthRequest, cfg: AuthConfig): number {
  const auth = req.headers['authorization'];
  if (!auth) {
    const presigned = presignedKind(req.query);
    if (presigned === 'v1') return verifyPresignedV1(req, cfg);
    if (presigned === 'v4') return verifyPresignedV4(req, cfg);
    throw new OssError('AccessDenied', 'You have no right to access this object because of bucket acl.');
  }
  if (auth.startsWith('OSS4-HMAC-SHA256')) return verifyV4(auth, req, cfg);
  if (auth.startsWith('OSS ')) return verifyV1(auth, req, cfg);
  throw new OssError('InvalidArgument', 'Authorization header is invalid.', [['Authorization', auth]]);
}

/** `token` defaults to the header; presigned URLs carry it in the query instead. */
export function findCredential(
  accessKeyId: string,
  req: AuthRequest,
  cfg: AuthConfig,
  token = req.headers['x-oss-security-token'],
): OssCredential {
  const cred = cfg.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!cred) throw new OssError('InvalidAccessKeyId', undefined, [['OSSAccessKeyId', accessKeyId]]);
  if ((cred.securityToken ?? undefined) !== (token || undefined)) throw new OssError('InvalidSecurityToken');
  return cred;
}

function checkSkew(requestMs: number, rawDate: string, cfg: AuthConfig): void {
  if (Number.isNaN(requestMs)) {
    throw new OssError('AccessDenied', 'Invalid date in x-oss-date or Date header.', [
      ['RequestTime', rawDate],
    ]);
  }
  if (Math.abs(cfg.now - requestMs) > cfg.maxClockSkewMs) {
    throw new OssError('RequestTimeTooSkewed', undefined, [
      ['RequestTime', rawDate],
      ['ServerTime', new Date(cfg.now).toISOString()],
      ['MaxAllowedSkewMilliseconds', String(cfg.maxClockSkewMs)],
    ]);
  }
}

function verifyV1(auth: string, req: AuthRequest, cfg: AuthConfig): number {
  const body = auth.slice(4).trim();
  const colon = body.lastIndexOf(':');
  if (colon <= 0)
    throw new OssError('InvalidArgument', 'Authorization header is invalid.', [['Authorization', auth]]);
  const accessKeyId = body.slice(0, colon);
  const provided = body.slice(colon + 1);
  const cred = findCredential(accessKeyId, req, cfg);
  const date = req.headers['x-oss-date'] ?? req.headers['date'] ?? '';
  checkSkew(Date.parse(date), date, cfg);
  let first: string | undefined;
  for (let i = 0; i < req.addresses.length; i++) {
    const addr = req.addresses[i] as Address;
    const sts = stringToSignV1({
      method: req.method,
      contentMd5: req.headers['content-md5'] ?? '',
      contentType: req.headers['content-type'] ?? '',
      date,
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

export function parseV4Date(raw: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(raw);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function verifyV4(auth: string, req: AuthRequest, cfg: AuthConfig): number {
  const parsed = parseV4Authorization(auth);
  if (!parsed)
    throw new OssError('InvalidArgument', 'Authorization header is invalid.', [['Authorization', auth]]);
  const cred = findCredential(parsed.accessKeyId, req, cfg);
  const ossDate = req.headers['x-oss-date'] ?? '';
  checkSkew(parseV4Date(ossDate), ossDate, cfg);
  if (parsed.day !== ossDate.slice(0, 8)) {
    throw new OssError('AccessDenied', 'Invalid signing date in Authorization header.');
  }
  if (parsed.region !== cfg.region || parsed.product !== 'oss') {
    throw new OssError(
      'AccessDenied',
      `Invalid signing region in Authorization header (expected ${cfg.region}/oss).`,
    );
  }
  for (const h of parsed.additionalHeaders) {
    if (req.headers[h] === undefined) {
      throw new OssError('AccessDenied', `Additional header ${h} is not in the request.`);
    }
  }
  return matchV4(req, cred, {
    query: req.query,
    ossDate,
    day: parsed.day,
    region: parsed.region,
    product: parsed.product,
    additionalHeaders: parsed.additionalHeaders,
    signature: parsed.signature,
    accessKeyId: parsed.accessKeyId,
  });
}

export interface V4Match {
  /** The query to canonicalise (a presigned URL's without `x-oss-signature`). */
  query: ReadonlyArray<readonly [string, string]>;
  ossDate: string;
  day: string;
  region: string;
  product: string;
  additionalHeaders: readonly string[];
  signature: string;
  accessKeyId: string;
}

/** Index of the address reading whose V4 signature matches, trying every SDK's canonical variant. */
export function matchV4(req: AuthRequest, cred: OssCredential, m: V4Match): number {
  // ali-oss signs an empty non-sub-resource value as `k=`, the Go/Python SDKs as `k`; and it sorts
  // with localeCompare where the Go SDK sorts encoded keys. Accept every variant a real SDK produces.
  const allBare = m.query.map(([k, v]) => [k, v === '' ? null : v] as const);
  const aliOss = m.query.map(([k, v]) => [k, v === '' && isSubResource(k) ? null : v] as const);
  const asSent = m.query.map(([k, v]) => [k, v] as const);
  let first: { sts: string; canonical: string } | undefined;
  for (let i = 0; i < req.addresses.length; i++) {
    const addr = req.addresses[i] as Address;
    const tried = new Set<string>();
    for (const query of [allBare, aliOss, asSent]) {
      for (const localeSort of [false, true]) {
        const canonical = canonicalRequestV4({
          method: req.method,
          bucket: addr.bucket,
          key: addr.key,
          query,
          headers: req.headers,
          additionalHeaders: m.additionalHeaders,
          localeSort,
        });
        if (tried.has(canonical)) continue;
        tried.add(canonical);
        const sts = stringToSignV4(m.ossDate, m.day, m.region, m.product, canonical);
        first ??= { sts, canonical };
        if (signV4(cred.accessKeySecret, m.day, m.region, m.product, sts) === m.signature) return i;
      }
    }
  }
  throw new OssError('SignatureDoesNotMatch', undefined, [
    ['StringToSign', first?.sts ?? ''],
    ['SignatureProvided', m.signature],
    ['OSSAccessKeyId', m.accessKeyId],
    ['CanonicalRequest', first?.canonical ?? ''],
  ]);
}
