// ETags arrive quoted in headers and listings ('"5B3C...-3"'), unquoted in event notifications, and in
// either case from different code paths. PAI's FileFingerPrint examples are bare upper-case hex, so every
// ETag is normalised here once; comparing raw ETags would see a change where there is none.

const LOWER = /[a-z]/;

/** '"5b3c...-3"' -> '5B3C...-3': strips surrounding whitespace, a weak W/ prefix and quotes; upper-cases. */
export function etagToFingerprint(etag: string): string {
  // What OSS lists: '"<upper-case hex>"'. One slice, no trim or case copy (a full sync does one per object).
  if (etag.length >= 2 && etag.charCodeAt(0) === 34 && etag.charCodeAt(etag.length - 1) === 34) {
    const bare = etag.slice(1, -1);
    if (bare.trim() === bare) return LOWER.test(bare) ? bare.toUpperCase() : bare;
  }
  let s = etag.trim();
  if (s.startsWith('W/') || s.startsWith('w/')) s = s.slice(2);
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  return s.toUpperCase();
}

/**
 * Multipart uploads produce 'HEX-N' (N = part count): not an MD5 of the content, so it cannot be checked
 * against a computed MD5, and the same bytes uploaded differently give a different ETag.
 */
export function isMultipartEtag(etag: string): boolean {
  return /^[0-9A-F]+-[0-9]+$/.test(etagToFingerprint(etag));
}
