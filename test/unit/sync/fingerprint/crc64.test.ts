import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../../../src/sync/fingerprint/crc64.ts';

// Slow but obviously right: the textbook bit-wise reflected CRC on a BigInt register.
const POLY_REFLECTED = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;
function referenceCrc64(data: Uint8Array): string {
  let crc = MASK;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ POLY_REFLECTED : crc >> 1n;
  }
  return (crc ^ MASK).toString();
}

// Fixed-seed PRNG (mulberry32) so a failure reproduces: the cases are random, the run is not.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(rand: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

describe('crc64 (CRC-64/XZ, x-oss-hash-crc64ecma)', () => {
  it.each([
    ['123456789', '11051210869376104954'],
    ['', '0'],
    ['hello world', '5981764153023615706'],
  ])('check value of %j is %s', (input, expected) => {
    expect(crc64(input)).toBe(expected);
    expect(crc64(new TextEncoder().encode(input))).toBe(expected);
  });

  it('hashes strings as UTF-8', () => {
    expect(crc64('数据集/图片.jpg')).toBe(referenceCrc64(new TextEncoder().encode('数据集/图片.jpg')));
  });

  it('matches the bit-wise reference for 200 random buffers of 0..5000 bytes', () => {
    const rand = prng(0xc0ffee);
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(rand, Math.floor(rand() * 5001));
      expect(crc64(data), `length ${data.length}`).toBe(referenceCrc64(data));
    }
  });

  it('gives the same digest over random chunk splits as in one shot', () => {
    const rand = prng(42);
    for (let n = 0; n < 50; n++) {
      const data = randomBytes(rand, Math.floor(rand() * 20_000));
      const hasher = new Crc64();
      let offset = 0;
      while (offset < data.length) {
        // Sizes 0..37 exercise every alignment against the 8-byte blocks, including empty updates.
        const size = Math.floor(rand() * 38);
        hasher.update(data.subarray(offset, offset + size));
        offset += size;
      }
      expect(hasher.digest()).toBe(crc64(data));
    }
  });

  it('reads only its view of a shared buffer (subarray with a byte offset)', () => {
    const backing = new Uint8Array(1000).map((_, i) => (i * 31) & 0xff);
    const view = backing.subarray(3, 900);
    expect(crc64(view)).toBe(referenceCrc64(Uint8Array.from(view)));
  });

  it('digest() does not reset the state and update() chains', () => {
    const hasher = new Crc64().update(new TextEncoder().encode('12345'));
    expect(hasher.digest()).toBe(crc64('12345'));
    expect(hasher.update(new TextEncoder().encode('6789')).digest()).toBe('11051210869376104954');
  });

  it('produces values above 2^63 exactly (no float rounding)', () => {
    // 11051210869376104954 > 2^63: a Number-based formatter would print a rounded value.
    expect(BigInt(crc64('123456789')) > 2n ** 63n).toBe(true);
    expect(crc64('123456789')).toBe(referenceCrc64(new TextEncoder().encode('123456789')));
  });
});
