// Text-level decoding of a delivery body: UTF-8, base64 and the MNS XML wrapper. Deliberately no XML
// library: the MNS notification is a flat element list and we need exactly one element from it.

import { EventParseError } from './object-event.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Buffer | Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new EventParseError(`${what} is not valid UTF-8`);
  }
}

// Standard alphabet only (MNS and OSS use it); line breaks are allowed because some encoders wrap at 76.
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes `text` as base64 when it is strictly base64 (Buffer.from(..., 'base64') alone is too lenient:
 * it silently skips invalid characters), else returns undefined.
 */
export function tryDecodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64_RE.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

/**
 * Returns the text of <Message> of an MNS XML notification (NotifyContentFormat=XML):
 *   <Notification xmlns="http://mns.aliyuncs.com/doc/v1/"><TopicOwner>..</TopicOwner>...<Message>..</Message>...
 * Entities and CDATA are decoded so the result is the message body exactly as it was published.
 */
export function extractMnsXmlMessage(xml: string): string {
  if (!/<Notification[\s>]/.test(xml)) {
    throw new EventParseError('XML body is not an MNS <Notification> (expected <Notification>...<Message>)');
  }
  const m = /<Message>([\s\S]*?)<\/Message>/.exec(xml);
  if (m?.[1] === undefined) {
    throw new EventParseError('MNS <Notification> has no <Message> element');
  }
  const raw = m[1];
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(raw);
  return cdata?.[1] !== undefined ? cdata[1] : decodeXmlText(raw);
}
