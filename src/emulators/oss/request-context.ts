// What every OSS operation handler receives: the parsed request plus the emulator's shared parts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OssEventFields } from './event-payload.ts';
import type { MemoryStore } from './store.ts';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  hostId: string;
  bucket: string;
  key: string;
  /** Decoded query, last value wins. */
  query: ReadonlyMap<string, string>;
  /** Lower-case names, UTF-8 values. */
  headers: Readonly<Record<string, string>>;
  /** PUT/POST body, read before authentication. */
  body: Buffer;
  store: MemoryStore;
  region: string;
  /** Queues an event notification (no-op when events are off). `index` numbers DeleteObjects events. */
  notify(e: OssEventFields, index?: number): void;
  /** Decides whether this GET stalls its body (fault injection); close() destroys stalled sockets. */
  shouldStallBody(): boolean;
}
