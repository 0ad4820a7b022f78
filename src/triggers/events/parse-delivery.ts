// One HTTP delivery -> ObjectEvents. The body is peeled layer by layer, by content rather than by
// content-type (MNS sends text/xml or text/plain for everything; proxies rewrite types):
//
//   '<'        MNS XML notification      -> its <Message> text, peeled again
//   '{' / '['  JSON:
//                {events:[...]}          -> OSS records (MNS/OSS native; also Function Compute's shape)
//                {specversion:..}        -> one CloudEvent
//                [ {specversion:..}, ..] -> CloudEvents batch (application/cloudevents-batch+json)
//                {Message:"..", TopicOwner|MessageId|..} -> MNS JSON notification: Message peeled again
//   base64     MNS SIMPLIFIED push of an OSS message (OSS publishes base64 text) -> decoded, peeled again
//
// A delivery is all-or-nothing: one malformed record rejects the whole delivery, so nothing half-queues.

import { decodeUtf8, extractMnsXmlMessage, tryDecodeBase64 } from './body-text.ts';
import { isCloudEvent, parseCloudEvent } from './cloud-event.ts';
import { EventParseError, type ObjectEvent } from './object-event.ts';
import { isObject, parseOssEventRecord, type RecordResult } from './oss-event-record.ts';

export type DeliveryHeaders = Record<string, string | string[] | undefined>;

export interface ParsedDelivery {
  /** Events whose names matter (created/removed), in delivery order. */
  events: ObjectEvent[];
  /** Records acknowledged but dropped: intermediate or irrelevant event names, non-OSS CloudEvents. */
  ignored: number;
  /** The layers peeled, outermost first, e.g. 'mns-xml>base64>oss-events'. For logs. */
  format: string;
}

// Wrappers nest at most MNS-wrapper > base64 > JSON; anything deeper is not a shape we know.
const MAX_LAYERS = 4;

function header(headers: DeliveryHeaders, name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(direct) ? direct[0] : direct;
}

function isMnsJsonNotification(v: Record<string, unknown>): boolean {
  return (
    typeof v['Message'] === 'string' &&
    ('TopicOwner' in v || 'TopicName' in v || 'MessageId' in v || 'SubscriptionName' in v)
  );
}

function collect(results: RecordResult[], layers: string[]): ParsedDelivery {
  const events: ObjectEvent[] = [];
  let ignored = 0;
  for (const r of results) {
    if (r.ignored) ignored++;
    else events.push(r.event);
  }
  return { events, ignored, format: layers.join('>') };
}

function fromJson(value: unknown, layers: string[], batchExpected: boolean): ParsedDelivery {
  if (Array.isArray(value)) {
    layers.push('cloudevents-batch');
    return collect(
      value.map((ce, i) => {
        if (!isCloudEvent(ce)) throw new EventParseError(`batch[${i}] is not a CloudEvent (no specversion)`);
        return parseCloudEvent(ce, `batch[${i}]`);
      }),
      layers,
    );
  }
  if (batchExpected) {
    throw new EventParseError(
      'content-type is application/cloudevents-batch+json but the body is not a JSON array',
    );
  }
  if (!isObject(value)) {
    throw new EventParseError('JSON body is not an object or an array of CloudEvents');
  }
  if ('events' in value) {
    const events = value['events'];
    if (!Array.isArray(events)) throw new EventParseError('"events" is not an array');
    layers.push('oss-events');
    return collect(
      events.map((rec, i) => parseOssEventRecord(rec, `events[${i}]`)),
      layers,
    );
  }
  if (isCloudEvent(value)) {
    layers.push('cloudevent');
    return collect([parseCloudEvent(value, 'cloudevent')], layers);
  }
  throw new EventParseError(
    'unrecognised JSON shape: expected {"events":[...]}, a CloudEvent (with "specversion"), ' +
      'an array of CloudEvents, or an MNS notification (with "Message")',
  );
}

function peel(text: string, layers: string[], batchExpected: boolean): ParsedDelivery {
  if (layers.length >= MAX_LAYERS) {
    throw new EventParseError(`body nests wrappers too deeply (${layers.join('>')})`);
  }
  const t = text.trim();
  if (t === '')
    throw new EventParseError(layers.length === 0 ? 'body is empty' : `${layers.at(-1)} content is empty`);

  if (t.startsWith('<')) {
    layers.push('mns-xml');
    return peel(extractMnsXmlMessage(t), layers, false);
  }
  if (t.startsWith('{') || t.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (err) {
      throw new EventParseError(`body is not valid JSON: ${(err as Error).message}`);
    }
    if (isObject(value) && !('events' in value) && !isCloudEvent(value) && isMnsJsonNotification(value)) {
      layers.push('mns-json');
      return peel(value['Message'] as string, layers, false);
    }
    return fromJson(value, layers, batchExpected);
  }
  const decoded = tryDecodeBase64(t);
  if (decoded) {
    layers.push('base64');
    const inner = decodeUtf8(decoded, 'base64-decoded body');
    const it = inner.trim();
    // Guard against plain words that happen to be valid base64 ("test", "abcd"): the decoded text must
    // itself start like one of our shapes.
    if (!it.startsWith('{') && !it.startsWith('[') && !it.startsWith('<')) {
      throw new EventParseError('body looks like base64 but does not decode to JSON or XML');
    }
    return peel(inner, layers, batchExpected);
  }
  throw new EventParseError('body is neither JSON, an MNS XML notification, nor base64 of either');
}

/** Parses one HTTP delivery and reports ignored records too (the server counts them). */
export function parseDeliveryDetailed(body: Buffer, headers: DeliveryHeaders): ParsedDelivery {
  const contentType = (header(headers, 'content-type') ?? '').toLowerCase();
  const batchExpected = contentType.startsWith('application/cloudevents-batch+json');
  return peel(decodeUtf8(body, 'body'), [], batchExpected);
}

/** Parses one HTTP delivery into events. Throws EventParseError (message says what was wrong) on malformed input. */
export function parseDelivery(body: Buffer, headers: DeliveryHeaders): ObjectEvent[] {
  return parseDeliveryDetailed(body, headers).events;
}
