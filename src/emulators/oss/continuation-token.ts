// ListObjectsV2 continuation tokens. Real OSS tokens are base64 of a small protobuf with '-' in place
// of '=' padding (e.g. "CgJiYw--" = field 1, "bc"). We use the same shape: field 1 holds the last key or
// common prefix returned, and the next page starts strictly after it. Clients must treat it as opaque.

export function encodeContinuationToken(after: string): string {
  const bytes = Buffer.from(after, 'utf8');
  const len: number[] = [];
  let n = bytes.length;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x0a, ...len]), bytes])
    .toString('base64')
    .replace(/=/g, '-');
}

/** The position encoded in a token, or undefined when the token was not made by us. */
export function decodeContinuationToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*-{0,2}$/.test(token) || token.length % 4 !== 0 || token.length === 0) return undefined;
  const bytes = Buffer.from(token.replace(/-/g, '='), 'base64');
  if (bytes[0] !== 0x0a) return undefined;
  let len = 0;
  let shift = 0;
  let i = 1;
  for (; i < bytes.length && i < 4; i++) {
    const b = bytes[i] as number;
    len |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  i++;
  if (i + len !== bytes.length) return undefined;
  const raw = bytes.subarray(i);
  const after = raw.toString('utf8');
  // Reject bytes that are not valid UTF-8 (they would not round-trip).
  if (!Buffer.from(after, 'utf8').equals(raw)) return undefined;
  return after;
}
