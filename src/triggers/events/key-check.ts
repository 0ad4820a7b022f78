// Keys OSS cannot hold never reach a binding: an event carrying one is refused on its own (the rest of the
// delivery goes on). OSS object names are 1-1023 bytes of UTF-8 without NUL.

const MAX_KEY_BYTES = 1023;

/** Why OSS could not hold this key, or undefined when it could. */
export function invalidKeyReason(key: string): string | undefined {
  if (key.length === 0) return 'empty object key';
  if (key.includes('\0')) return 'object key contains a NUL character';
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) return `object key is ${bytes} bytes (OSS allows at most ${MAX_KEY_BYTES})`;
  return undefined;
}
