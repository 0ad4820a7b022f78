// Which listed keys become records: not directory markers, matching include (if any), not matching exclude.
// Globs are matched against the key relative to the binding's prefix, with picomatch (dotfiles included).
import picomatch from 'picomatch';

export type KeyFilter = (key: string) => boolean;

export function createKeyFilter(
  prefix: string,
  include: readonly string[],
  exclude: readonly string[],
): KeyFilter {
  // flags 's': '*' and '**' also match newlines, which OSS keys may contain.
  const opts = { dot: true, flags: 's' };
  const inc = include.length > 0 ? picomatch([...include], opts) : undefined;
  const exc = exclude.length > 0 ? picomatch([...exclude], opts) : undefined;
  return (key: string) => {
    // "dir/" objects are folder markers made by consoles and tools, not files.
    if (key.endsWith('/')) return false;
    // `--prefix photos` (no slash) still means "photos/a.jpg" is "a.jpg" for the globs.
    const rel = (key.startsWith(prefix) ? key.slice(prefix.length) : key).replace(/^\//, '');
    if (inc && !inc(rel)) return false;
    if (exc && exc(rel)) return false;
    return true;
  };
}
