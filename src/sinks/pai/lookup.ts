// Looks objects up in the dataset by Uri, to resolve a batch whose answer was lost (was it written or
// not?). ListDatasetFileMetas has no Uri filter, so the QueryExpression DSL asks for exact FileDir and
// FileName values, a chunk of names per call; the Uri is then matched exactly on our side.
//   FileDir="photos/2024/" AND (FileName="a.jpg" OR FileName="b.jpg" ...)
// Keys at the bucket root have FileDir "" and are asked by FileName alone.
import { fileName, objectUri } from './request.ts';

/** Names per expression: keeps the query string of one call at a few KB. */
export const NAMES_PER_QUERY = 20;

const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

function dirOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash >= 0 ? key.slice(0, slash + 1) : '';
}

/** PURE: the QueryExpressions that together cover every key (one call each, paginated). */
export function lookupExpressions(keys: readonly string[]): string[] {
  const byDir = new Map<string, Set<string>>();
  for (const k of keys) {
    const d = dirOf(k);
    let names = byDir.get(d);
    if (!names) byDir.set(d, (names = new Set()));
    names.add(fileName(k));
  }
  const out: string[] = [];
  for (const [dir, set] of byDir) {
    const names = [...set];
    for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
      const any = names
        .slice(i, i + NAMES_PER_QUERY)
        .map((n) => `FileName=${quote(n)}`)
        .join(' OR ');
      out.push(dir ? `FileDir=${quote(dir)} AND (${any})` : `(${any})`);
    }
  }
  return out;
}

/** The key of a Uri of this bucket, or undefined for a record of another bucket. */
export function keyOfUri(bucket: string, uri: string): string | undefined {
  const base = objectUri(bucket, '');
  return uri.startsWith(base) ? uri.slice(base.length) : undefined;
}
