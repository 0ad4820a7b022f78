// Splits records into API calls: at most maxItems per call and at most maxBytes of JSON body per call.
export function batchByLimits<T>(
  items: readonly T[],
  maxItems: number,
  maxBytes: number,
  size: (t: T) => number,
): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  // Room for the envelope {"WorkspaceId":..,"DatasetVersion":..,"DatasetFileMetas":[...]}.
  const envelope = 256;
  let bytes = envelope;
  for (const it of items) {
    const s = size(it) + 1;
    if (cur.length > 0 && (cur.length >= maxItems || bytes + s > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = envelope;
    }
    cur.push(it);
    bytes += s;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
