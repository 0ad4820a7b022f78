// RFC 3986 percent-encoding (unreserved A-Z a-z 0-9 - _ . ~ kept). Used for encoding-type=url in
// listings (so Go's QueryUnescape and JS decodeURIComponent both round-trip) and for V4 signing.
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
