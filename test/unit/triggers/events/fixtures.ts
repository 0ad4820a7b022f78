// Delivery bodies in every shape the receiver accepts, built from the documented samples
// (/work/shared/reference/oss-protocol.md §4) so each test states only what it varies.

export interface RecordOpts {
  eventName?: string;
  bucket?: string;
  key?: string;
  eTag?: string;
  size?: number;
  eventTime?: string;
}

/** One MNS-style OSS event record, as in the documented sample. */
export function ossRecord(o: RecordOpts = {}): Record<string, unknown> {
  return {
    eventName: o.eventName ?? 'ObjectCreated:PutObject',
    eventSource: 'acs:oss',
    eventTime: o.eventTime ?? '2022-08-13T06:45:43.000Z',
    eventVersion: '1.0',
    oss: {
      bucket: {
        arn: `acs:oss:cn-hangzhou:123456789:${o.bucket ?? 'testbucket'}`,
        name: o.bucket ?? 'testbucket',
        ownerIdentity: '164901546557****',
        virtualBucket: '',
      },
      object: {
        deltaSize: o.size ?? 122539,
        eTag: o.eTag ?? '688A7BF4F233DC9C88A80BF985AB0000',
        key: o.key ?? 'source/a.png',
        objectMeta: { mimeType: 'application/zip' },
        size: o.size ?? 122539,
      },
      ossSchemaVersion: '1.0',
      ruleId: '9adac8e253828f4f7c0466d941fa3db81161****',
    },
    region: 'cn-hangzhou',
    requestParameters: { sourceIPAddress: '140.205.1.1' },
    responseElements: { requestId: '58F9FF2D3DF792092E12044C' },
    userIdentity: { principalId: '164901546557****' },
  };
}

export function ossJson(...records: unknown[]): string {
  return JSON.stringify({ events: records });
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** MNS NotifyContentFormat=XML, per the MNS HttpEndpoint documentation sample. */
export function mnsXml(message: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<Notification xmlns="http://mns.aliyuncs.com/doc/v1/">\n' +
    '  <TopicOwner>1692545896541241</TopicOwner>\n  <TopicName>oss-events</TopicName>\n' +
    '  <Subscriber>1692545896541241</Subscriber>\n  <SubscriptionName>sync</SubscriptionName>\n' +
    '  <MessageId>6CC4D900CA59A2CD-1-15180534A8F-200000001</MessageId>\n' +
    `  <Message>${xmlEscape(message)}</Message>\n` +
    '  <MessageMD5>F1E92841751D795AB325861034B50000</MessageMD5>\n' +
    '  <PublishTime>1449556920975</PublishTime>\n</Notification>'
  );
}

/** MNS NotifyContentFormat=JSON. */
export function mnsJson(message: string): string {
  return JSON.stringify({
    TopicOwner: '1692545896541241',
    TopicName: 'oss-events',
    Subscriber: '1692545896541241',
    SubscriptionName: 'sync',
    MessageId: '6CC4D900CA59A2CD-1-15180534A8F-200000001',
    Message: message,
    MessageMD5: 'F1E92841751D795AB325861034B50000',
    PublishTime: '1449556920975',
  });
}

/** EventBridge CloudEvent as in the documented DataWorks sample. */
export function cloudEvent(record: Record<string, unknown>, bucket = 'testbucket'): Record<string, unknown> {
  const oss = record['oss'] as { object: { key: string } };
  return {
    datacontenttype: 'application/json;charset=utf-8',
    aliyunaccountid: '1000000000009',
    data: record,
    subject: `acs:oss:cn-hangzhou:1000000000009:${bucket}/${oss.object.key}`,
    source: 'acs.oss',
    type: `oss:${String(record['eventName'])}`,
    aliyunpublishtime: '2026-03-11T05:40:45.682Z',
    specversion: '1.0',
    id: '69B100000000000C0A8',
    time: '2026-03-11T05:40:45.000Z',
    aliyunregionid: 'cn-hangzhou',
  };
}
