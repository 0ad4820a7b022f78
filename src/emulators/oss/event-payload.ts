// Event notification bodies: one OSS event record (reference §4.1), wrapped for MNS HTTP push or as
// an EventBridge CloudEvent (§4.2). Pure functions; delivery lives in event-notifier.ts.
import { randomBytes } from 'node:crypto';
import { OWNER_ID } from './constants.ts';
import type { ObjectRecord } from './object-record.ts';

export type OssEventName =
  | 'ObjectCreated:PutObject'
  | 'ObjectCreated:AppendObject'
  | 'ObjectCreated:CopyObject'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:DeleteObject'
  | 'ObjectRemoved:DeleteObjects';

export interface OssEventInput {
  name: OssEventName;
  region: string;
  bucket: string;
  key: string;
  /** Size after the operation (0 after a delete). */
  size: number;
  /** Size change: new object = size, overwrite = new - old, delete = -old. */
  deltaSize: number;
  /** Without quotes; '' when a deleted key did not exist. */
  eTag: string;
  mimeType?: string;
  userMeta?: Record<string, string>;
  /** AppendObject only: the position the data was appended at. */
  position?: number;
  requestId: string;
  sourceIp: string;
  time: Date;
}

/** What an operation knows of its event; the server adds where and when (bucket, region, request, time). */
export type OssEventFields = Omit<OssEventInput, 'region' | 'requestId' | 'sourceIp' | 'time' | 'bucket'>;

/** The event of a write that leaves object `r` where `previous` was (undefined for a new key). */
export function objectCreatedEvent(
  name: 'ObjectCreated:PutObject' | 'ObjectCreated:CopyObject' | 'ObjectCreated:CompleteMultipartUpload',
  r: ObjectRecord,
  previous: ObjectRecord | undefined,
): OssEventFields {
  return {
    name,
    key: r.key,
    size: r.body.length,
    deltaSize: r.body.length - (previous?.body.length ?? 0),
    eTag: r.etag,
    mimeType: r.contentType,
    userMeta: r.meta,
  };
}

export type OssEventRecord = ReturnType<typeof eventRecord>;

export function eventRecord(e: OssEventInput) {
  const object: Record<string, unknown> = { deltaSize: e.deltaSize, eTag: e.eTag, key: e.key, size: e.size };
  if (e.mimeType !== undefined) {
    const userMeta = Object.fromEntries(
      Object.entries(e.userMeta ?? {}).map(([k, v]) => [`x-oss-meta-${k}`, v]),
    );
    object.objectMeta =
      Object.keys(userMeta).length > 0 ? { mimeType: e.mimeType, userMeta } : { mimeType: e.mimeType };
  }
  if (e.position !== undefined) object.position = e.position;
  return {
    eventName: e.name,
    eventSource: 'acs:oss',
    eventTime: e.time.toISOString(),
    eventVersion: '1.0',
    oss: {
      bucket: {
        arn: `acs:oss:${e.region}:${OWNER_ID}:${e.bucket}`,
        name: e.bucket,
        ownerIdentity: OWNER_ID,
        virtualBucket: '',
      },
      object,
      ossSchemaVersion: '1.0',
      ruleId: 'oss-emulator',
    },
    region: e.region,
    requestParameters: { sourceIPAddress: e.sourceIp },
    responseElements: { requestId: e.requestId },
    userIdentity: { principalId: OWNER_ID },
  };
}

export interface EventDelivery {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * MNS HTTP push, SIMPLIFIED format: the HTTP body is the message body itself, and OSS message bodies
 * are the base64 of the `{"events":[...]}` JSON. One event per message, as OSS publishes them.
 */
export function mnsDelivery(e: OssEventInput): EventDelivery {
  const json = JSON.stringify({ events: [eventRecord(e)] });
  return {
    body: Buffer.from(Buffer.from(json, 'utf8').toString('base64'), 'utf8'),
    headers: {
      'content-type': 'text/plain;charset=utf-8',
      'x-mns-message-id': randomBytes(16).toString('hex').toUpperCase(),
      'x-mns-request-id': e.requestId,
      'x-mns-version': '2015-06-06',
      'x-mns-date': e.time.toUTCString(),
    },
  };
}

/** EventBridge: one CloudEvents 1.0 JSON per event; `data` is one MNS events[] element. */
export function eventBridgeDelivery(e: OssEventInput, id: string): EventDelivery {
  const cloudEvent = {
    datacontenttype: 'application/json;charset=utf-8',
    aliyunaccountid: OWNER_ID,
    data: eventRecord(e),
    subject: `acs:oss:${e.region}:${OWNER_ID}:${e.bucket}/${e.key}`,
    aliyunoriginalaccountid: OWNER_ID,
    source: 'acs.oss',
    type: `oss:${e.name}`,
    aliyunpublishtime: new Date().toISOString(),
    specversion: '1.0',
    aliyuneventbusname: 'oss-emulator',
    id,
    time: e.time.toISOString(),
    aliyunregionid: e.region,
  };
  return {
    body: Buffer.from(JSON.stringify(cloudEvent), 'utf8'),
    headers: { 'content-type': 'application/cloudevents+json' },
  };
}
