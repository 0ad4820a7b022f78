// ISO 8601 date-times as the API takes them: yyyy-MM-ddTHH:mm[:ss[.SSS]]Z or with an offset (the SDK
// documents the minute form "yyyy-MM-ddTHH:mmZ", its examples carry seconds). Stricter than Date.parse,
// which accepts "March 7, 2025" and reads a time without offset in the host's timezone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch, or undefined when `text` is not an ISO 8601 UTC/offset date-time. */
export function isoToMs(text: string): number | undefined {
  if (!ISO_DATE_TIME.test(text)) return undefined;
  // Date.parse wants at most millisecond precision and a colon in the offset.
  const normalised = text.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The emulator's own timestamps: ISO 8601 UTC with milliseconds, like the doc examples. */
export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}
