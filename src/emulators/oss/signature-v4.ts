// OSS V4 header signature (OSS4-HMAC-SHA256), pure functions checked against the Go SDK vector.
import { createHash, createHmac } from 'node:crypto';
import { uriEncode } from './uri-encode.ts';

export interface V4Authorization {
  accessKeyId: string;
  day: string;
  region: string;
  product: string;
  additionalHeaders: string[];
  signature: string;
}

/**
 * Parses `OSS4-HMAC-SHA256 Credential=ak/yyyymmdd/region/oss/aliyun_v4_request[,AdditionalHeaders=a;b],Signature=hex`.
 * Splits on commas and trims, because the Python SDK uses ", " and puts AdditionalHeaders last.
 */
export function parseV4Authorization(header: string): V4Authorization | undefined {
  const body = header.slice('OSS4-HMAC-SHA256'.length).trim();
  const fields = new Map<string, string>();
  for (const part of body.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credential || !signature) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aliyun_v4_request') return undefined;
  const [accessKeyId, day, region, product] = scope as [string, string, string, string, string];
  const additional = fields.get('AdditionalHeaders');
  return {
    accessKeyId,
    day,
    region,
    product,
    additionalHeaders: additional ? additional.split(';').map((h) => h.trim().toLowerCase()) : [],
    signature,
  };
}

export interface V4CanonicalInput {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  /** Decoded query parameters; a value of `null` is rendered `k`, a string (even '') as `k=v`. */
  query: ReadonlyArray<readonly [string, string | null]>;
  /** Lower-case header name -> value. */
  headers: Readonly<Record<string, string>>;
  additionalHeaders: readonly string[];
  /** Sort the query by raw key with localeCompare (ali-oss/qs) instead of by encoded key (Go SDK). */
  localeSort?: boolean;
}

export function canonicalRequestV4(input: V4CanonicalInput): string {
  const path = input.bucket ? `/${input.bucket}/${input.key ?? ''}` : '/';
  const uri = uriEncode(path).replace(/%2F/g, '/');
  const encoded = input.query.map(([k, v]) => ({
    raw: k,
    k: uriEncode(k),
    v: v === null ? null : uriEncode(v),
  }));
  if (input.localeSort) encoded.sort((a, b) => a.raw.localeCompare(b.raw));
  else encoded.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const query = encoded.map(({ k, v }) => (v === null ? k : `${k}=${v}`)).join('&');
  const signed = new Set(input.additionalHeaders);
  for (const h of Object.keys(input.headers)) {
    if (h === 'content-type' || h === 'content-md5' || h.startsWith('x-oss-')) signed.add(h);
  }
  const canonicalHeaders = [...signed]
    .sort()
    .map((h) => `${h}:${(input.headers[h] ?? '').trim()}\n`)
    .join('');
  const additional = [...input.additionalHeaders].sort().join(';');
  const payload = input.headers['x-oss-content-sha256'] ?? 'UNSIGNED-PAYLOAD';
  return [input.method.toUpperCase(), uri, query, canonicalHeaders, additional, payload].join('\n');
}

export function stringToSignV4(
  ossDate: string,
  day: string,
  region: string,
  product: string,
  canonicalRequest: string,
): string {
  const hashed = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `OSS4-HMAC-SHA256\n${ossDate}\n${day}/${region}/${product}/aliyun_v4_request\n${hashed}`;
}

export function signV4(
  secret: string,
  day: string,
  region: string,
  product: string,
  stringToSign: string,
): string {
  const kDate = createHmac('sha256', `aliyun_v4${secret}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kProduct = createHmac('sha256', kRegion).update(product).digest();
  const kSigning = createHmac('sha256', kProduct).update('aliyun_v4_request').digest();
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}
