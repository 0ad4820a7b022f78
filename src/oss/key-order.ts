// OSS lists keys in UTF-8 byte order. JS compares UTF-16 code units, which disagrees for characters above
// U+FFFF versus U+E000..U+FFFF, so any ordering decision about keys goes through this.
//
// UTF-8 byte order is code point order. UTF-16 code unit order agrees with it except at the first differing
// unit when one is a surrogate (U+D800..U+DFFF, part of a code point above U+FFFF) and the other is in
// U+E000..U+FFFF: then the surrogate's code point is the larger. Comparing code units with that one
// correction gives the byte order without encoding either key (this runs twice per state entry written and
// once per listed key of a bounded partition).
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      const xs = x <= 0xdfff;
      const ys = y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
