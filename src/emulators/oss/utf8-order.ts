// OSS lists keys in UTF-8 byte order. JS `<` compares UTF-16 code units, which agrees with UTF-8
// byte order everywhere except one case: a surrogate (astral char, U+10000+) against a code unit in
// U+E000..U+FFFF. UTF-16 puts the astral char first, UTF-8 (= code point order) puts it last.

/** Comparator in UTF-8 byte order (negative, 0, positive), without encoding the strings. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return remap(x) - remap(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

// Moves surrogates above U+E000..U+FFFF, keeping order within each group.
function remap(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Byte length of a string in UTF-8 (keys are limited to 1023 bytes). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
