// parseDelivery: every accepted shape yields the same ObjectEvent; odd keys survive byte-exact through
// every wrapper; ignored names drop out; malformed input fails with a message naming the problem.
import { describe, expect, it } from 'vitest';
import {
  EventParseError,
  parseDelivery,
  parseDeliveryDetailed,
  type ObjectEvent,
} from '../../../../src/triggers/events/index.ts';
import { base64, cloudEvent, mnsJson, mnsXml, ossJson, ossRecord } from './fixtures.ts';

const JSON_CT = { 'content-type': 'application/json' };
const buf = (s: string): Buffer => Buffer.from(s, 'utf8');

const EXPECTED: ObjectEvent = {
  bucket: 'testbucket',
  key: 'source/a.png',
  kind: 'created',
  eventName: 'ObjectCreated:PutObject',
  eventTime: '2022-08-13T06:45:43.000Z',
  eTag: '688A7BF4F233DC9C88A80BF985AB0000',
  size: 122539,
  region: 'cn-hangzhou',
  requestId: '58F9FF2D3DF792092E12044C',
};

describe('parseDelivery: every accepted shape', () => {
  const json = ossJson(ossRecord());
  const shapes: [string, string, Record<string, string>, string][] = [
    ['OSS/MNS JSON', json, JSON_CT, 'oss-events'],
    ['base64 JSON (MNS SIMPLIFIED)', base64(json), { 'content-type': 'text/plain' }, 'base64>oss-events'],
    [
      'base64 with line breaks every 76 chars',
      base64(json).replace(/(.{76})/g, '$1\r\n'),
      {},
      'base64>oss-events',
    ],
    ['MNS JSON wrapper, Message = JSON', mnsJson(json), JSON_CT, 'mns-json>oss-events'],
    ['MNS JSON wrapper, Message = base64', mnsJson(base64(json)), JSON_CT, 'mns-json>base64>oss-events'],
    [
      'MNS XML wrapper, Message = base64',
      mnsXml(base64(json)),
      { 'content-type': 'text/xml' },
      'mns-xml>base64>oss-events',
    ],
    [
      'MNS XML wrapper, Message = escaped JSON',
      mnsXml(json),
      { 'content-type': 'text/xml' },
      'mns-xml>oss-events',
    ],
    [
      'MNS XML wrapper, Message in CDATA',
      mnsXml('').replace('<Message></Message>', `<Message><![CDATA[${json}]]></Message>`),
      {},
      'mns-xml>oss-events',
    ],
    ['surrounding whitespace', `\n  ${json}\n`, {}, 'oss-events'],
  ];

  it.each(shapes)('%s', (_name, body, headers, format) => {
    const parsed = parseDeliveryDetailed(buf(body), headers);
    expect(parsed.events).toEqual([EXPECTED]);
    expect(parsed.format).toBe(format);
    expect(parseDelivery(buf(body), headers)).toEqual([EXPECTED]);
  });

  it('EventBridge CloudEvent: data supplies the record, prefix-free eventName', () => {
    const ce = cloudEvent(ossRecord());
    const parsed = parseDeliveryDetailed(buf(JSON.stringify(ce)), {
      'content-type': 'application/cloudevents+json',
    });
    expect(parsed.format).toBe('cloudevent');
    expect(parsed.events).toEqual([EXPECTED]);
  });

  it('EventBridge CloudEvents batch (JSON array)', () => {
    const batch = [
      cloudEvent(ossRecord({ key: 'a' })),
      cloudEvent(ossRecord({ key: 'b', eventName: 'ObjectRemoved:DeleteObject' })),
    ];
    const parsed = parseDeliveryDetailed(buf(JSON.stringify(batch)), {
      'Content-Type': 'application/cloudevents-batch+json; charset=utf-8',
    });
    expect(parsed.format).toBe('cloudevents-batch');
    expect(parsed.events.map((e) => [e.key, e.kind, e.eventName])).toEqual([
      ['a', 'created', 'ObjectCreated:PutObject'],
      ['b', 'removed', 'ObjectRemoved:DeleteObject'],
    ]);
  });

  it('CloudEvent whose data lacks bucket/key/eventName/time falls back to subject, type and time', () => {
    const ce = {
      specversion: '1.0',
      type: 'oss:ObjectCreated:PutObject',
      source: 'acs.oss',
      id: 'REQ-1',
      time: '2026-03-11T05:40:45.000Z',
      subject: 'acs:oss:cn-hangzhou:1000000000009:my-bucket/dir/with:colon/and space.txt',
      data: {},
    };
    // toStrictEqual: no region key at all (the envelope had no aliyunregionid), not region: undefined.
    expect(parseDelivery(buf(JSON.stringify(ce)), {})).toStrictEqual([
      {
        bucket: 'my-bucket',
        key: 'dir/with:colon/and space.txt',
        kind: 'created',
        eventName: 'ObjectCreated:PutObject',
        eventTime: '2026-03-11T05:40:45.000Z',
        requestId: 'REQ-1',
      },
    ]);
  });

  it('CloudEvent with data_base64 instead of data', () => {
    const { data, ...ce } = cloudEvent(ossRecord());
    const body = JSON.stringify({ ...ce, data_base64: base64(JSON.stringify(data)) });
    expect(parseDelivery(buf(body), {})).toEqual([EXPECTED]);
  });

  it('an eTag that arrives quoted is stored without quotes', () => {
    const [e] = parseDelivery(buf(ossJson(ossRecord({ eTag: '"ABC"' }))), {});
    expect(e?.eTag).toBe('ABC');
  });
});

describe('parseDelivery: odd keys stay byte-exact through every wrapper', () => {
  const keys = [
    'dir/with space.txt',
    'plus+sign.txt',
    'percent%20not-decoded.txt',
    'percent%2Fslash',
    'hash#and?query=1&x',
    'line\nbreak\ttab.txt',
    'unicode/数据集/ファイル-é.png',
    'emoji/🙂.bin',
    'xml/<tag>&amp;"quotes"\'',
    '  leading and trailing  ',
    'a//double//slash/',
    'cdata]]>end',
  ];
  const wrap: [string, (json: string) => string][] = [
    ['raw', (j) => j],
    ['base64', (j) => base64(j)],
    ['mns-json', (j) => mnsJson(base64(j))],
    ['mns-xml(base64)', (j) => mnsXml(base64(j))],
    ['mns-xml(json)', (j) => mnsXml(j)],
  ];
  for (const [name, fn] of wrap) {
    it.each(keys)(`${name}: %j`, (key) => {
      const events = parseDelivery(buf(fn(ossJson(ossRecord({ key })))), {});
      expect(events).toHaveLength(1);
      expect(Buffer.from(events[0]!.key, 'utf8').equals(Buffer.from(key, 'utf8'))).toBe(true);
    });
  }

  it.each(keys)('cloudevent: %j', (key) => {
    const events = parseDelivery(buf(JSON.stringify(cloudEvent(ossRecord({ key })))), {});
    expect(events[0]?.key).toBe(key);
  });
});

describe('parseDelivery: multiple events and ignored names', () => {
  it('keeps order and maps kinds; drops intermediate and irrelevant names', () => {
    const body = ossJson(
      ossRecord({ key: 'big.bin', eventName: 'ObjectCreated:InitiateMultipartUpload' }),
      ossRecord({ key: 'big.bin', eventName: 'ObjectCreated:UploadPart' }),
      ossRecord({ key: 'big.bin', eventName: 'ObjectCreated:CompleteMultipartUpload' }),
      ossRecord({ key: 'old.txt', eventName: 'ObjectRemoved:DeleteObjects' }),
      ossRecord({ key: 'x', eventName: 'ObjectDownloaded:GetObject' }),
      ossRecord({ key: 'y', eventName: 'ObjectRemoved:AbortMultipartUpload' }),
      ossRecord({ key: 'c', eventName: 'ObjectCreated:CopyObject', bucket: 'other' }),
    );
    const parsed = parseDeliveryDetailed(buf(body), {});
    expect(parsed.ignored).toBe(4);
    expect(parsed.events.map((e) => `${e.bucket}/${e.key}:${e.kind}`)).toEqual([
      'testbucket/big.bin:created',
      'testbucket/old.txt:removed',
      'other/c:created',
    ]);
  });

  it('ignored records need no bucket or key (bucket-level events)', () => {
    const bucketEvent = { eventName: 'BucketCreated:PutBucket', eventTime: '2022-08-13T06:45:43.000Z' };
    expect(parseDeliveryDetailed(buf(ossJson(bucketEvent)), {})).toMatchObject({ events: [], ignored: 1 });
  });

  it('non-OSS CloudEvents in a batch are acknowledged as ignored', () => {
    const other = {
      specversion: '1.0',
      type: 'ecs:Instance:StateChange',
      source: 'acs.ecs',
      id: '1',
      data: {},
    };
    const parsed = parseDeliveryDetailed(buf(JSON.stringify([other, cloudEvent(ossRecord())])), {});
    expect(parsed).toMatchObject({ ignored: 1, events: [EXPECTED] });
  });

  it('an empty events array is a valid delivery with nothing in it', () => {
    expect(parseDeliveryDetailed(buf('{"events":[]}'), {})).toMatchObject({ events: [], ignored: 0 });
  });
});

describe('parseDelivery: malformed input', () => {
  const missingKey = ossRecord();
  delete (missingKey['oss'] as { object: Record<string, unknown> }).object['key'];
  const missingBucket = ossRecord();
  delete (missingBucket['oss'] as { bucket: Record<string, unknown> }).bucket['name'];

  const cases: [string, Buffer | string, Record<string, string>, RegExp][] = [
    ['empty body', '', {}, /body is empty/],
    ['whitespace only', '  \n', {}, /body is empty/],
    ['broken JSON', '{"events": [', {}, /not valid JSON/],
    ['JSON scalar', '[1]', {}, /batch\[0\] is not a CloudEvent/],
    ['unknown object', '{"hello":"world"}', {}, /unrecognised JSON shape/],
    ['events not an array', '{"events":{}}', {}, /"events" is not an array/],
    ['record not an object', '{"events":[42]}', {}, /events\[0\] is not an object/],
    ['missing eventName', ossJson({ oss: {} }), {}, /events\[0\]\.eventName is missing/],
    ['missing key', ossJson(ossRecord(), missingKey), {}, /events\[1\]\.oss\.object\.key is missing/],
    ['missing bucket', ossJson(missingBucket), {}, /events\[0\]\.oss\.bucket\.name is missing/],
    [
      'empty key',
      ossJson(ossRecord({ key: '' })),
      {},
      /oss\.object\.key is missing or not a non-empty string/,
    ],
    [
      'bad eventTime',
      ossJson(ossRecord({ eventTime: 'yesterday' })),
      {},
      /eventTime is missing or not an ISO/,
    ],
    ['plain text', 'hello world', {}, /neither JSON, an MNS XML notification, nor base64/],
    ['base64 of plain text', base64('just some text'), {}, /base64 but does not decode to JSON or XML/],
    ['base64 of broken JSON', base64('{"events":'), {}, /not valid JSON/],
    ['XML that is not MNS', '<root><Message>x</Message></root>', {}, /not an MNS <Notification>/],
    [
      'MNS XML without Message',
      '<Notification><TopicName>t</TopicName></Notification>',
      {},
      /no <Message> element/,
    ],
    ['MNS XML with empty Message', mnsXml(''), {}, /mns-xml content is empty/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), {}, /not valid UTF-8/],
    [
      'batch content-type but single object',
      JSON.stringify(cloudEvent(ossRecord())),
      { 'content-type': 'application/cloudevents-batch+json' },
      /not a JSON array/,
    ],
    [
      'CloudEvent wrong specversion',
      JSON.stringify({ ...cloudEvent(ossRecord()), specversion: '0.3' }),
      {},
      /specversion must be "1.0"/,
    ],
    [
      'CloudEvent without type',
      JSON.stringify({ specversion: '1.0', data: {} }),
      {},
      /cloudevent\.type is missing/,
    ],
    [
      'OSS CloudEvent without data',
      JSON.stringify({ specversion: '1.0', type: 'oss:ObjectCreated:PutObject' }),
      {},
      /cloudevent\.data is missing/,
    ],
    [
      'OSS CloudEvent without key anywhere',
      JSON.stringify({
        specversion: '1.0',
        type: 'oss:ObjectCreated:PutObject',
        time: '2026-01-01T00:00:00Z',
        data: {},
      }),
      {},
      /cloudevent\.data\.oss\.bucket\.name is missing/,
    ],
    [
      'nested wrappers beyond any real shape',
      mnsJson(mnsJson(mnsJson(mnsJson(ossJson())))),
      {},
      /too deeply/,
    ],
  ];

  it.each(cases)('%s', (_name, body, headers, message) => {
    const b = typeof body === 'string' ? buf(body) : body;
    let caught: unknown;
    try {
      parseDelivery(b, headers);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EventParseError);
    expect((caught as Error).message).toMatch(message);
  });
});
