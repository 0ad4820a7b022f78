// EventBridge delivers OSS events as CloudEvents 1.0 (structured mode): `type` 'oss:ObjectCreated:PutObject',
// `data` one MNS-style record, `subject` 'acs:oss:<region>:<uid>:<bucket>/<key>', `id` the OSS request id.

import { EventParseError } from './object-event.ts';
import { decodeUtf8 } from './body-text.ts';
import { isObject, parseOssEventRecord, type RecordResult } from './oss-event-record.ts';

export function isCloudEvent(v: unknown): v is Record<string, unknown> {
  return isObject(v) && 'specversion' in v;
}

/** 'acs:oss:cn-hangzhou:123:bucket/dir/key' -> { bucket: 'bucket', key: 'dir/key' } (the key may hold ':' and '/'). */
export function parseOssSubject(subject: string): { bucket: string; key: string } | undefined {
  const m = /^acs:oss:[^:]*:[^:]*:([^/]+)\/([\s\S]+)$/.exec(subject);
  return m?.[1] && m[2] ? { bucket: m[1], key: m[2] } : undefined;
}

export function parseCloudEvent(ce: Record<string, unknown>, where: string): RecordResult {
  if (ce['specversion'] !== '1.0') {
    throw new EventParseError(`${where}.specversion must be "1.0", got ${JSON.stringify(ce['specversion'])}`);
  }
  const type = ce['type'];
  if (typeof type !== 'string' || type === '') {
    throw new EventParseError(`${where}.type is missing or not a string`);
  }
  // A rule may route other sources to the same target; they are not ours to judge, so acknowledge them.
  if (!type.startsWith('oss:')) return { ignored: true };

  let data = ce['data'];
  if (data === undefined && typeof ce['data_base64'] === 'string') {
    const text = decodeUtf8(Buffer.from(ce['data_base64'], 'base64'), `${where}.data_base64`);
    try {
      data = JSON.parse(text);
    } catch {
      throw new EventParseError(`${where}.data_base64 does not hold JSON`);
    }
  }
  if (!isObject(data)) throw new EventParseError(`${where}.data is missing or not an object`);

  const subject = typeof ce['subject'] === 'string' ? parseOssSubject(ce['subject']) : undefined;
  return parseOssEventRecord(data, `${where}.data`, {
    eventName: type,
    eventTime: typeof ce['time'] === 'string' ? ce['time'] : undefined,
    bucket: subject?.bucket,
    key: subject?.key,
    region: typeof ce['aliyunregionid'] === 'string' ? ce['aliyunregionid'] : undefined,
    requestId: typeof ce['id'] === 'string' ? ce['id'] : undefined,
  });
}
