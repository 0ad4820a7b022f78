// GetObject Range handling. OSS's default is NOT RFC 7233: an invalid or unsatisfiable range is
// ignored and the whole object comes back with 200. With `x-oss-range-behavior: standard` it follows
// RFC 7233: the end is clamped to the object and a start beyond it answers 416 InvalidRange.
import { OssError } from './errors.ts';

export type RangeResult = { partial: false } | { partial: true; start: number; end: number };

const FULL: RangeResult = { partial: false };

export function resolveRange(header: string | undefined, size: number, standard: boolean): RangeResult {
  if (!header) return FULL;
  // Only the first range of a multi-range request is honoured, as on OSS.
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return FULL;
  const unsatisfiable = (): RangeResult => {
    if (!standard) return FULL;
    throw new OssError('InvalidRange', undefined, [
      ['RangeRequested', header],
      ['ActualObjectSize', String(size)],
    ]);
  };
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return unsatisfiable();
    if (n > size) return standard ? { partial: true, start: 0, end: size - 1 } : FULL;
    return { partial: true, start: size - n, end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] === '') {
    if (start >= size) return unsatisfiable();
    return { partial: true, start, end: size - 1 };
  }
  const end = Number(m[2]);
  if (end < start) return FULL; // syntactically invalid: ignored in both modes (RFC 7233 §3.1)
  if (start >= size) return unsatisfiable();
  if (end >= size) return standard ? { partial: true, start, end: size - 1 } : FULL;
  return { partial: true, start, end };
}
