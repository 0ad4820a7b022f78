// OSS lists keys in UTF-8 byte order. JS compares UTF-16 code units, which disagrees for characters above
// U+FFFF versus U+E000..U+FFFF, so any ordering decision about keys goes through this.
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
