// The one shape every delivery format is reduced to. Downstream code (the sink, the queue) never sees MNS,
// XML or CloudEvents; it sees only these.

export type ObjectEventKind = 'created' | 'removed';

export interface ObjectEvent {
  bucket: string;
  /** Raw (decoded) key exactly as OSS gives it: never URL-decoded again, never trimmed. */
  key: string;
  kind: ObjectEventKind;
  /** e.g. 'ObjectCreated:PutObject' (no 'oss:' prefix, even when it came from an EventBridge `type`). */
  eventName: string;
  /** ISO timestamp of the OSS operation. */
  eventTime: string;
  /** Without quotes, as events carry it (unlike the ETag header of HeadObject). */
  eTag?: string;
  size?: number;
  region?: string;
  requestId?: string;
}

/** A delivery we cannot read. The message says what was wrong, and is safe to return to the sender. */
export class EventParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventParseError';
  }
}
