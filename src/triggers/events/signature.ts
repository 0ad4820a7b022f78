// Shared-secret HMAC over the raw body bytes. The raw bytes, not a re-serialised parse: any proxy that
// re-encodes JSON would otherwise change what was signed, and base64/XML bodies have no canonical form.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-oss-pai-sync-signature';
/** Replay protection (optional): unix seconds; the signature then covers `<timestamp>.<raw body>`. */
export const TIMESTAMP_HEADER = 'x-oss-pai-sync-timestamp';

const PREFIX = 'sha256=';
const HEADER_RE = /^sha256=([0-9a-fA-F]{64})$/;

function digest(secret: string, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** Returns the value to send in the x-oss-pai-sync-signature header: 'sha256=<hex>'. */
export function signBody(secret: string, body: Buffer | string): string {
  return PREFIX + digest(secret, body).toString('hex');
}

/** The signature of a timestamped delivery: HMAC-SHA256 over `<timestamp>.` followed by the raw body. */
export function signTimestamped(secret: string, timestamp: string, body: Buffer | string): string {
  return signBody(secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]));
}

/**
 * Replay protection: the timestamp header must be whole unix seconds within windowS of now, and the
 * signature must cover it. Returns the problem, or undefined when the delivery passes.
 */
export function checkTimestamped(
  secret: string,
  body: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  windowS: number,
  nowMs: number,
): string | undefined {
  if (timestamp === undefined)
    return `missing ${TIMESTAMP_HEADER} header (unix seconds, signed with the body)`;
  if (!/^\d{1,12}$/.test(timestamp.trim())) return `${TIMESTAMP_HEADER} must be whole unix seconds`;
  const skewS = Math.abs(nowMs / 1000 - Number(timestamp.trim()));
  if (skewS > windowS)
    return `${TIMESTAMP_HEADER} is ${Math.round(skewS)} s away from now (window ${windowS} s)`;
  const signed = Buffer.concat([Buffer.from(`${timestamp.trim()}.`), body]);
  if (!verifySignature(secret, signed, signature)) {
    return `${signature === undefined ? 'missing' : 'invalid'} ${SIGNATURE_HEADER} header: expected "sha256=<hex HMAC-SHA256 of '<timestamp>.' followed by the raw body>"`;
  }
  return undefined;
}

/** Timing-safe: the comparison time does not depend on how many leading bytes match. */
export function verifySignature(secret: string, body: Buffer, headerValue: string | undefined): boolean {
  if (headerValue === undefined) return false;
  const m = HEADER_RE.exec(headerValue.trim());
  if (!m?.[1]) return false;
  // The regex fixes the length at 32 bytes, so timingSafeEqual never throws on a length mismatch.
  return timingSafeEqual(Buffer.from(m[1], 'hex'), digest(secret, body));
}
