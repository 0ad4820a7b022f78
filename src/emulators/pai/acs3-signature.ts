// ACS3-HMAC-SHA256 (the "V3" signature that @alicloud/openapi-core sends by default), verified the way the
// client computes it (reference §2; openapi-core utils getAuthorization):
//   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//   StringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest));  Signature = hex(hmac(secret, StringToSign))
// The query on the wire is encoded by querystring.stringify, which differs from the signing encoder for
// ( ) * ! ', so the canonical query is rebuilt from the DECODED received query, never copied from the wire.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PaiApiError } from './api-error.ts';
import type { PaiCredential } from './types.ts';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

export interface SignedRequest {
  method: string;
  /** The raw pathname as received (still percent-encoded). */
  rawPath: string;
  /** The decoded query (last value wins for repeated keys). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface VerifyOptions {
  findCredential(accessKeyId: string): PaiCredential | undefined;
  nowMs: number;
  maxClockSkewMs: number;
}

interface ParsedAuthorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** The signing encoder of openapi-core: encodeURIComponent plus ! ' ( ) *. */
export function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalUri(rawPath: string): string {
  return rawPath.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}

export function canonicalQuery(query: Record<string, string>): string {
  // Keys are NOT encoded by the client, and sorted with the default (UTF-16) sort.
  return Object.keys(query)
    .sort()
    .map((key) => `${key}=${acsEncode(query[key] ?? '')}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v)
    ? v
        .map((x) => x.trim())
        .sort()
        .join(',')
    : v.trim();
}

function parseAuthorization(value: string | undefined): ParsedAuthorization {
  if (!value) throw new PaiApiError(400, 'MissingAuthorization', 'The Authorization header is missing.');
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ACS3_ALGORITHM) {
    throw new PaiApiError(
      400,
      'IncompleteSignature',
      `Unsupported signature algorithm "${algorithm}"; expected ${ACS3_ALGORITHM}.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) {
    throw new PaiApiError(
      400,
      'IncompleteSignature',
      'The Authorization header needs Credential, SignedHeaders and Signature.',
    );
  }
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature: signature.toLowerCase() };
}

// Headers without which a signature proves too little (a replayable body or an unbounded date).
const MUST_SIGN = ['host', 'x-acs-date', 'x-acs-content-sha256', 'x-acs-signature-nonce'];

function checkDate(headers: IncomingHttpHeaders, opts: VerifyOptions): void {
  const date = headerValue(headers, 'x-acs-date');
  const ms = date === undefined ? NaN : Date.parse(date);
  if (Number.isNaN(ms)) {
    throw new PaiApiError(
      400,
      'InvalidTimeStamp.Format',
      'Specified time stamp or date value (x-acs-date) is not well formatted.',
    );
  }
  if (Math.abs(opts.nowMs - ms) > opts.maxClockSkewMs) {
    throw new PaiApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
}

function checkSecurityToken(headers: IncomingHttpHeaders, credential: PaiCredential): void {
  const token = headerValue(headers, 'x-acs-security-token');
  if ((credential.securityToken ?? '') !== (token ?? '')) {
    throw new PaiApiError(
      403,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'The security token you provided does not match the access key.',
    );
  }
  const akHeader = headerValue(headers, 'x-acs-accesskey-id');
  if (akHeader !== undefined && akHeader !== credential.accessKeyId) {
    throw new PaiApiError(
      403,
      'InvalidAccessKeyId.Mismatch',
      'x-acs-accesskey-id does not match the signing access key.',
    );
  }
}

/** Returns the credential that signed the request, or throws the PaiApiError the gateway would answer. */
export function verifyAcs3(req: SignedRequest, opts: VerifyOptions): PaiCredential {
  const auth = parseAuthorization(headerValue(req.headers, 'authorization'));
  const credential = opts.findCredential(auth.accessKeyId);
  if (!credential) {
    throw new PaiApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }
  checkDate(req.headers, opts);

  const signed = new Set(auth.signedHeaders);
  const required = [...MUST_SIGN];
  // Every x-acs-* header and content-type the client sent is signed by openapi-core; demanding the ones
  // that change meaning keeps a proxy from swapping them unnoticed.
  if (req.headers['content-type'] !== undefined) required.push('content-type');
  if (req.headers['x-acs-security-token'] !== undefined) required.push('x-acs-security-token');
  if (req.headers['x-acs-action'] !== undefined) required.push('x-acs-action');
  const unsigned = required.filter((h) => !signed.has(h));
  if (unsigned.length > 0) {
    throw new PaiApiError(
      400,
      'IncompleteSignature',
      `These headers must be signed: ${unsigned.join(', ')}.`,
    );
  }

  const payloadHash = headerValue(req.headers, 'x-acs-content-sha256') ?? '';
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  if (payloadHash.toLowerCase() !== bodyHash) {
    throw new PaiApiError(
      403,
      'SignatureDoesNotMatch',
      'The x-acs-content-sha256 header does not match the SHA-256 of the request body.',
    );
  }

  const canonicalHeaders = [...signed]
    .sort()
    .map((name) => `${name}:${headerValue(req.headers, name) ?? ''}\n`)
    .join('');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(req.rawPath),
    canonicalQuery(req.query),
    canonicalHeaders,
    [...signed].sort().join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = `${ACS3_ALGORITHM}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', credential.accessKeySecret).update(stringToSign).digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PaiApiError(
      403,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. Server string to sign is: ${stringToSign.replace('\n', '\\n')}`,
    );
  }
  checkSecurityToken(req.headers, credential);
  return credential;
}
