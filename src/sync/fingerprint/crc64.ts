// CRC-64/XZ, the checksum OSS returns as `x-oss-hash-crc64ecma` (ECMA-182 polynomial, reflected,
// init and xorout all ones). Check value: crc64('123456789') === '11051210869376104954'.
//
// Why it looks like this: JS has no fast 64-bit integers (BigInt is ~10x slower than a byte-wise table
// and allocates), so the 64-bit register is kept as two uint32 halves and every table is split the same
// way. Slicing-by-8 consumes 8 input bytes per step with 8 independent table look-ups per half, which is
// several times faster than the classic one-byte-per-step loop. Tables cost 2 x 8 x 256 x 4 B = 16 KiB.

/** The reflected form of the ECMA-182 polynomial 0x42F0E1EBA9EA3693, split into halves. */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;
const SLICES = 8;

/** TABLE_x[k * 256 + b] = CRC register contribution of byte b followed by k zero bytes. */
const TABLE_HI = new Uint32Array(SLICES * 256);
const TABLE_LO = new Uint32Array(SLICES * 256);

function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let hi = 0;
    let lo = b;
    for (let bit = 0; bit < 8; bit++) {
      const lsb = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (lsb) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    TABLE_HI[b] = hi;
    TABLE_LO[b] = lo;
  }
  // One more zero byte through the register: shift right by 8 and fold the byte that falls out.
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const prev = (k - 1) * 256 + b;
      const hi = TABLE_HI[prev]!;
      const lo = TABLE_LO[prev]!;
      const idx = lo & 0xff;
      TABLE_HI[k * 256 + b] = ((hi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
      TABLE_LO[k * 256 + b] = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!) >>> 0;
    }
  }
}
buildTables();

const encoder = new TextEncoder();

/** Incremental CRC-64/XZ: `new Crc64().update(a).update(b).digest() === crc64(concat(a, b))`. */
export class Crc64 {
  // The register, pre-inverted (init = all ones); digest() applies the final xorout.
  private hi = 0xffffffff;
  private lo = 0xffffffff;

  update(chunk: Uint8Array): this {
    // Locals and non-null assertions keep the hot loop free of property loads and undefined checks;
    // every index is provably in range (0..2047 for tables, < end for data).
    const tHi = TABLE_HI;
    const tLo = TABLE_LO;
    let hi = this.hi;
    let lo = this.lo;
    let i = 0;
    const len = chunk.length;
    const end8 = len - (len % 8);
    while (i < end8) {
      // XOR 8 little-endian input bytes into the register, then look each register byte up in the
      // table for its distance from the end of the 8-byte block.
      const a = lo ^ (chunk[i]! | (chunk[i + 1]! << 8) | (chunk[i + 2]! << 16) | (chunk[i + 3]! << 24));
      const b = hi ^ (chunk[i + 4]! | (chunk[i + 5]! << 8) | (chunk[i + 6]! << 16) | (chunk[i + 7]! << 24));
      const i7 = 1792 + (a & 0xff);
      const i6 = 1536 + ((a >>> 8) & 0xff);
      const i5 = 1280 + ((a >>> 16) & 0xff);
      const i4 = 1024 + (a >>> 24);
      const i3 = 768 + (b & 0xff);
      const i2 = 512 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      hi = tHi[i7]! ^ tHi[i6]! ^ tHi[i5]! ^ tHi[i4]! ^ tHi[i3]! ^ tHi[i2]! ^ tHi[i1]! ^ tHi[i0]!;
      lo = tLo[i7]! ^ tLo[i6]! ^ tLo[i5]! ^ tLo[i4]! ^ tLo[i3]! ^ tLo[i2]! ^ tLo[i1]! ^ tLo[i0]!;
      i += 8;
    }
    // Tail: classic byte-at-a-time.
    while (i < len) {
      const idx = (lo ^ chunk[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ tLo[idx]!;
      hi = (hi >>> 8) ^ tHi[idx]!;
      i++;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** Unsigned 64-bit value in decimal, the format of `x-oss-hash-crc64ecma`. Does not reset the state. */
  digest(): string {
    const hi = ~this.hi >>> 0;
    const lo = ~this.lo >>> 0;
    // BigInt only here, once per object: exact decimal formatting of a 64-bit value.
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }
}

/** One-shot CRC-64/XZ; strings are hashed as UTF-8. */
export function crc64(data: Uint8Array | string): string {
  return new Crc64().update(typeof data === 'string' ? encoder.encode(data) : data).digest();
}
