// Shared-secret HMAC over the raw body bytes. The raw bytes, not a re-serialised parse: any proxy that
// re-encodes JSON would otherwise change what was signed, and base64/XML bodies have no canonical form.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-oss-pai-sync-signature';

const PREFIX = 'sha256=';
const HEADER_RE = /^sha256=([0-9a-fA-F]{64})$/;

function digest(secret: string, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** Returns the value to send in the x-oss-pai-sync-signature header: 'sha256=<hex>'. */
export function signBody(secret: string, body: Buffer | string): string {
  return PREFIX + digest(secret, body).toString('hex');
}

/** Timing-safe: the comparison time does not depend on how many leading bytes match. */
export function verifySignature(secret: string, body: Buffer, headerValue: string | undefined): boolean {
  if (headerValue === undefined) return false;
  const m = HEADER_RE.exec(headerValue.trim());
  if (!m?.[1]) return false;
  // The regex fixes the length at 32 bytes, so timingSafeEqual never throws on a length mismatch.
  return timingSafeEqual(Buffer.from(m[1], 'hex'), digest(secret, body));
}
