// ISO 8601 parsing for DATE properties. Date.parse alone is too lenient (it accepts
// "March 7, 2025") and reads a date-time without an offset as LOCAL time, which would make
// results depend on the emulator host's timezone; PAI times are UTC, so a missing offset means Z.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when `text` is not an ISO 8601 date or date-time. */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO_8601.exec(text.trim());
  if (!m) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = m;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const normalisedOffset =
    offset === 'Z' || offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${normalisedOffset}`;
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return undefined;
  // Date.parse rolls 2025-02-30 over to March; reject impossible calendar dates instead.
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (probe.getUTCMonth() !== Number(month) - 1 || probe.getUTCDate() !== Number(day)) return undefined;
  return instant;
}
