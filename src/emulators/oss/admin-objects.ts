// `POST /-/admin/objects/<bucket>`: writes objects straight into the store, as a PutObject with that body
// would leave them, without an HTTP request per object and without notifying. It answers the event each
// PutObject would have notified, so a load generator can send the notifications itself and leave the
// emulator only the work a real OSS does on our side (bench/events-load.ts --direct): generating 1,000
// signed PUTs a second costs more CPU than everything it is meant to measure.
import { OssError } from './errors.ts';
import { type OssEventFields, objectCreatedEvent } from './event-payload.ts';
import { normalRecord } from './object-record.ts';
import { validateKey } from './object-handlers.ts';
import type { MemoryStore } from './store.ts';

export interface AdminObjectsAnswer {
  /** The region events carry, so the caller can complete them without asking. */
  region: string;
  /** One per key, in the order given. */
  events: OssEventFields[];
}

/** Parses `{ keys: string[], body?: string }`; throws OssError (InvalidArgument, InvalidObjectName). */
function parse(raw: string): { keys: string[]; body: Buffer } {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new OssError('InvalidArgument', 'the body is not JSON');
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const { keys, body = '' } = o;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
    throw new OssError('InvalidArgument', 'keys must be an array of strings');
  }
  if (typeof body !== 'string') throw new OssError('InvalidArgument', 'body must be a string');
  for (const k of keys as string[]) validateKey(k);
  return { keys: keys as string[], body: Buffer.from(body, 'utf8') };
}

/** Writes every key (all or none: the request is validated first). Throws OssError (NoSuchBucket, ...). */
export function writeAdminObjects(
  store: MemoryStore,
  bucket: string,
  raw: string,
  region: string,
): AdminObjectsAnswer {
  store.bucket(bucket);
  const { keys, body } = parse(raw);
  // The body is hashed once for the batch; each key gets its own record, as PutObject builds it.
  const template = normalRecord('', body, {});
  const events = keys.map((key) => {
    const previous = store.record(bucket, key);
    return objectCreatedEvent(
      'ObjectCreated:PutObject',
      store.save(bucket, { ...template, key, meta: {} }),
      previous,
    );
  });
  return { region, events };
}
