// Public surface of the upload-event receiver. The lead wires startEventServer to the queue via EventSink.
export { type ObjectEvent, type ObjectEventKind, EventParseError } from './object-event.ts';
export { classifyEventName } from './classify-event-name.ts';
export {
  parseDelivery,
  parseDeliveryDetailed,
  type ParsedDelivery,
  type DeliveryHeaders,
} from './parse-delivery.ts';
export {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  checkTimestamped,
  signBody,
  signTimestamped,
  verifySignature,
} from './signature.ts';
export { invalidKeyReason } from './key-check.ts';
export {
  startEventServer,
  DEFAULT_MAX_BODY_BYTES,
  EVENT_PATHS,
  type EventSink,
  type EventLogger,
  type EventServer,
  type EventServerOptions,
  type EventServerStats,
} from './event-server.ts';
