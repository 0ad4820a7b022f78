// The bench's object key scheme, shared by the emulator process (which seeds) and the harness (which
// changes 1% of them): zero-padded so that listing order equals index order, 1,000 objects per "folder"
// like a typical dataset tree (d0000/f0000000.jpg ...).
export const MAIN_PREFIX = 'data/';
export const RATE_PREFIX = 'rl/';
export const LARGE_PREFIX = 'big/';

export function keyFor(prefix: string, i: number): string {
  const dir = String(Math.floor(i / 1000)).padStart(4, '0');
  // join, not a template: concatenation leaves a cons string, which the emulator's sorted key array would
  // keep as a 32-byte cons cell plus its flattened copy (72 instead of 40 bytes a key at 10M keys).
  return [prefix, 'd', dir, '/f', String(i).padStart(7, '0'), '.jpg'].join('');
}

/** Deterministic pseudo-random bytes (xorshift32): incompressible, and far faster than randomBytes. */
export function pseudoRandomBytes(bytes: number, seed: number): Buffer {
  const data = Buffer.allocUnsafe(bytes);
  let x = (seed * 2654435761) >>> 0 || 0x9e3779b9;
  let i = 0;
  for (; i + 4 <= bytes; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data.writeUInt32LE(x >>> 0, i);
  }
  for (; i < bytes; i++) data[i] = i & 0xff;
  return data;
}
