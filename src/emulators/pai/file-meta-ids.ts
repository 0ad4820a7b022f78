// DatasetFileMetaIds derived from (version, seq) instead of stored: 64 lowercase hex, the documented shape,
// made of two AES-128 blocks of [magic, version tag, seq, half] under a key drawn at random per process.
// Unpredictable to a client (it cannot compute an id itself, as with random ids) and unique per version,
// yet the store keeps nothing per record for them: an id is decrypted back to its seq on lookup. At 10M
// records that saves the 80-byte id string and its Map entry (about 120 bytes a record).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const KEY = randomBytes(16);
const MAGIC = 0x7061_6931; // 'pai1'
const cipher = createCipheriv('aes-128-ecb', KEY, null).setAutoPadding(false);
const decipher = createDecipheriv('aes-128-ecb', KEY, null).setAutoPadding(false);
const block = Buffer.alloc(16);

let nextTag = randomBytes(4).readUInt32BE(0);

/** A tag for a new version's records (distinct per VersionRecords within the process). */
export function newVersionTag(): number {
  nextTag = (nextTag + 1) >>> 0;
  return nextTag;
}

function half(tag: number, seq: number, which: number): string {
  block.writeUInt32BE(MAGIC, 0);
  block.writeUInt32BE(tag, 4);
  block.writeUInt32BE(seq, 8);
  block.writeUInt32BE(which, 12);
  return cipher.update(block).toString('hex');
}

export function derivedId(tag: number, seq: number): string {
  return half(tag, seq, 0) + half(tag, seq, 1);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The seq of an id this process derived for `tag`, else undefined (foreign, restored or malformed ids). */
export function seqOfDerivedId(tag: number, id: string): number | undefined {
  if (!HEX64.test(id)) return undefined;
  const plain = decipher.update(Buffer.from(id.slice(0, 32), 'hex'));
  if (plain.readUInt32BE(0) !== MAGIC || plain.readUInt32BE(4) !== tag || plain.readUInt32BE(12) !== 0)
    return undefined;
  const seq = plain.readUInt32BE(8);
  // The second half must match too: an id is valid whole or not at all.
  return derivedId(tag, seq) === id ? seq : undefined;
}
