// The core of both listing APIs: one page of entries (keys and common prefixes) from a sorted key
// array. Ordering rule, shared by start-after, marker and continuation tokens: entries are ordered by
// their own string (a common prefix sits where its string sorts) and only entries strictly greater
// than `after` are returned. So a common prefix returned on one page is skipped, as a whole, on the next.
import type { ObjectRecord } from './object-record.ts';
import { type BucketState, endOfPrefix, lowerBound, upperBound } from './store.ts';
import { compareUtf8 } from './utf8-order.ts';

export interface ScanInput {
  prefix: string;
  delimiter: string;
  /** Exclusive start position (start-after, marker or decoded token). */
  after: string | undefined;
  maxKeys: number;
}

export interface ScanPage {
  contents: ObjectRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last entry returned (key or common prefix): the next page starts after it. */
  last: string | undefined;
}

export function scanPage(state: BucketState, input: ScanInput): ScanPage {
  const { objects } = state;
  const keys = objects.keys;
  const { prefix, delimiter, after, maxKeys } = input;
  let i = lowerBound(keys, prefix);
  if (after !== undefined && compareUtf8(after, prefix) >= 0) i = Math.max(i, upperBound(keys, after));
  const contents: ObjectRecord[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  while (i < keys.length) {
    const key = keys[i] as string;
    if (!key.startsWith(prefix)) break;
    let cp: string | undefined;
    if (delimiter !== '') {
      const d = key.indexOf(delimiter, prefix.length);
      if (d >= 0) cp = key.slice(0, d + delimiter.length);
    }
    if (cp !== undefined && after !== undefined && compareUtf8(cp, after) <= 0) {
      i = endOfPrefix(keys, cp);
      continue;
    }
    if (contents.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (cp !== undefined) {
      commonPrefixes.push(cp);
      last = cp;
      i = endOfPrefix(keys, cp);
    } else {
      contents.push(objects.at(i));
      last = key;
      i++;
    }
  }
  return { contents, commonPrefixes, isTruncated, last };
}
