// One MNS-style OSS event record (an element of `events[]`, or the `data` of an OSS CloudEvent) to an
// ObjectEvent. Irrelevant event names are reported as ignored before anything else is checked, because
// bucket-level events legitimately carry no object.

import { classifyEventName, stripOssPrefix } from './classify-event-name.ts';
import { EventParseError, type ObjectEvent } from './object-event.ts';

export type RecordResult = { ignored: true } | { ignored: false; event: ObjectEvent };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Fallbacks a CloudEvent envelope can supply when its `data` lacks them. */
export interface RecordDefaults {
  eventName?: string;
  eventTime?: string;
  bucket?: string;
  key?: string;
  region?: string;
  requestId?: string;
}

export function parseOssEventRecord(
  rec: unknown,
  where: string,
  defaults: RecordDefaults = {},
): RecordResult {
  if (!isObject(rec)) throw new EventParseError(`${where} is not an object`);

  const rawName = rec['eventName'] ?? defaults.eventName;
  if (typeof rawName !== 'string' || rawName === '') {
    throw new EventParseError(`${where}.eventName is missing or not a string`);
  }
  const eventName = stripOssPrefix(rawName);
  const kind = classifyEventName(eventName);
  if (kind === undefined) return { ignored: true };

  const bucket = field(rec, 'oss', 'bucket', 'name') ?? defaults.bucket;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new EventParseError(`${where}.oss.bucket.name is missing or not a non-empty string`);
  }
  // Taken verbatim: OSS puts the raw key here; decoding it again would corrupt keys containing '%' or '+'.
  const key = field(rec, 'oss', 'object', 'key') ?? defaults.key;
  if (typeof key !== 'string' || key === '') {
    throw new EventParseError(`${where}.oss.object.key is missing or not a non-empty string`);
  }
  const eventTime = rec['eventTime'] ?? defaults.eventTime;
  if (typeof eventTime !== 'string' || Number.isNaN(Date.parse(eventTime))) {
    throw new EventParseError(`${where}.eventTime is missing or not an ISO timestamp`);
  }

  const event: ObjectEvent = { bucket, key, kind, eventName, eventTime };
  const eTag = field(rec, 'oss', 'object', 'eTag');
  if (typeof eTag === 'string' && eTag !== '') event.eTag = eTag.replace(/^"(.*)"$/, '$1');
  const size = field(rec, 'oss', 'object', 'size');
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) event.size = size;
  const region = rec['region'] ?? defaults.region;
  if (typeof region === 'string' && region !== '') event.region = region;
  const requestId = field(rec, 'responseElements', 'requestId') ?? defaults.requestId;
  if (typeof requestId === 'string' && requestId !== '') event.requestId = requestId;
  return { ignored: false, event };
}
