// Key patterns for `emulate --seed N --seed-key PATTERN`: a few placeholders, expanded per index,
// so a user can fill a bucket with a million keys laid out like theirs without writing a script.
//   {n}    the index 0..N-1, zero-padded to the width of N-1 (so keys list in index order)
//   {n:W}  the index zero-padded to W digits
//   {n/K}  floor(index / K), zero-padded to the width of its largest value: a folder of K keys
// Pure: parse once (every problem reported at once), then expand per index.

type Part = { text: string } | { pad: number; div: number };

export interface SeedPattern {
  readonly source: string;
  keyAt(index: number): string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

export function parseSeedPattern(pattern: string, count: number): SeedPattern {
  const problems: string[] = [];
  const parts: Part[] = [];
  let last = 0;
  let indexed = false;
  const widthOf = (max: number) => String(Math.max(0, max)).length;
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    const at = m.index;
    if (at > last) parts.push({ text: pattern.slice(last, at) });
    last = at + m[0].length;
    const body = m[1] ?? '';
    let r: RegExpExecArray | null;
    if (body === 'n') {
      indexed = true;
      parts.push({ pad: widthOf(count - 1), div: 1 });
    } else if ((r = /^n:(\d{1,2})$/.exec(body))) {
      indexed = true;
      parts.push({ pad: Number(r[1]), div: 1 });
    } else if ((r = /^n\/(\d{1,9})$/.exec(body)) && Number(r[1]) >= 1) {
      const div = Number(r[1]);
      parts.push({ pad: widthOf(Math.floor((count - 1) / div)), div });
    } else {
      problems.push(`unknown placeholder {${body}} (use {n}, {n:WIDTH} or {n/PER_FOLDER})`);
    }
  }
  if (last < pattern.length) parts.push({ text: pattern.slice(last) });
  if (pattern === '') problems.push('the key pattern is empty');
  if (!indexed && count > 1) problems.push('the key pattern needs {n} or {n:WIDTH} so that keys differ');
  if (pattern.startsWith('/') || pattern.startsWith('\\'))
    problems.push('OSS keys must not start with / or \\');
  if (problems.length > 0) throw new Error(`--seed-key ${JSON.stringify(pattern)}: ${problems.join('; ')}`);
  return {
    source: pattern,
    keyAt(index: number): string {
      // join gives a flat string; `+=` would leave a cons string, which costs the store 32 bytes more a key.
      return parts
        .map((p) => ('text' in p ? p.text : String(Math.floor(index / p.div)).padStart(p.pad, '0')))
        .join('');
    },
  };
}

/** The seed objects, generated lazily (a million keys never exist as one array of inputs). */
export function* seedObjects(
  pattern: SeedPattern,
  count: number,
  body: Buffer,
): Generator<{ key: string; body: Buffer }> {
  for (let i = 0; i < count; i++) yield { key: pattern.keyAt(i), body };
}
