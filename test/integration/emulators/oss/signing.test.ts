// Pure building blocks checked against official vectors: V1/V4 signatures (Go SDK v2 signer tests),
// CRC-64/XZ check values, UTF-8 key order, continuation tokens and OSS range semantics.
import { describe, expect, it } from 'vitest';
import {
  decodeContinuationToken,
  encodeContinuationToken,
} from '../../../../src/emulators/oss/continuation-token.ts';
import { crc64 } from '../../../../src/emulators/oss/crc64.ts';
import { OssError } from '../../../../src/emulators/oss/errors.ts';
import { resolveRange } from '../../../../src/emulators/oss/range.ts';
import {
  canonicalizedResourceV1,
  signV1,
  stringToSignV1,
} from '../../../../src/emulators/oss/signature-v1.ts';
import {
  canonicalRequestV4,
  parseV4Authorization,
  signV4,
  stringToSignV4,
} from '../../../../src/emulators/oss/signature-v4.ts';
import { compareUtf8 } from '../../../../src/emulators/oss/utf8-order.ts';

describe('V1 signature (Go SDK v2 vectors)', () => {
  const date = 'Wed, 28 Dec 2022 10:27:41 GMT';
  const headers = {
    'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==',
    'content-type': 'text/html',
    'x-oss-meta-author': 'alice',
    'x-oss-meta-magic': 'abracadabra',
    'x-oss-date': date,
  };
  const sts = (query: Array<[string, string]>) =>
    stringToSignV1({
      method: 'PUT',
      contentMd5: headers['content-md5'],
      contentType: headers['content-type'],
      date,
      headers,
      resource: canonicalizedResourceV1('examplebucket', 'nelson', query),
    });

  it('signs a PUT with metadata', () => {
    expect(sts([])).toBe(
      'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson',
    );
    expect(signV1('sk', sts([]))).toBe('kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
  });

  it('signs the ?acl sub-resource and ignores non-sub-resource params', () => {
    expect(signV1('sk', sts([['acl', '']]))).toBe('/afkugFbmWDQ967j1vr6zygBLQk=');
    expect(
      signV1(
        'sk',
        sts([
          ['acl', ''],
          ['prefix', 'x'],
          ['max-keys', '5'],
        ]),
      ),
    ).toBe('/afkugFbmWDQ967j1vr6zygBLQk=');
  });

  it('puts continuation-token raw into the resource', () => {
    expect(
      canonicalizedResourceV1('my-bucket', '', [
        ['list-type', '2'],
        ['continuation-token', 'TOK/+='],
      ]),
    ).toBe('/my-bucket/?continuation-token=TOK/+=');
  });
});

describe('V4 signature (Go SDK v2 vector)', () => {
  it('builds the canonical request and signature', () => {
    const canonical = canonicalRequestV4({
      method: 'PUT',
      bucket: 'bucket',
      key: '1234+-/123/1.txt',
      query: [
        ['param1', 'value1'],
        ['+param1', 'value3'],
        ['|param1', 'value4'],
        ['+param2', null],
        ['|param2', null],
        ['param2', null],
      ],
      headers: {
        'x-oss-head1': 'value',
        abc: 'value',
        zabc: 'value',
        xyz: 'value',
        'content-type': 'text/plain',
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        'x-oss-date': '20231216T162057Z',
      },
      additionalHeaders: [],
    });
    expect(canonical).toBe(
      'PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n' +
        'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD',
    );
    const sts = stringToSignV4('20231216T162057Z', '20231216', 'cn-hangzhou', 'oss', canonical);
    expect(signV4('sk', '20231216', 'cn-hangzhou', 'oss', sts)).toBe(
      'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });

  it('parses both ali-oss and Python-style Authorization headers', () => {
    expect(
      parseV4Authorization(
        'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=abc',
      ),
    ).toMatchObject({
      accessKeyId: 'ak',
      day: '20231216',
      region: 'cn-hangzhou',
      product: 'oss',
      signature: 'abc',
    });
    expect(
      parseV4Authorization(
        'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=abc, AdditionalHeaders=Host;abc',
      ),
    ).toMatchObject({ additionalHeaders: ['host', 'abc'], signature: 'abc' });
    expect(parseV4Authorization('OSS4-HMAC-SHA256 Credential=ak/2023/cn,Signature=x')).toBeUndefined();
  });
});

describe('CRC-64/XZ', () => {
  it('matches the check values', () => {
    expect(crc64('123456789')).toBe('11051210869376104954');
    expect(crc64('')).toBe('0');
    expect(crc64('hello world')).toBe('5981764153023615706');
  });
  it('continues over chunks', () => {
    expect(crc64('world', crc64('hello '))).toBe('5981764153023615706');
  });
});

describe('UTF-8 key order', () => {
  it('sorts astral characters after U+E000..U+FFFF, unlike UTF-16 order', () => {
    const keys = ['a\u{1F600}', 'a\uFFFD', 'a\uE000', 'a~', 'a'];
    const bytewise = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareUtf8)).toEqual(bytewise);
    expect(bytewise).toEqual(['a', 'a~', 'a\uE000', 'a\uFFFD', 'a\u{1F600}']);
    expect([...keys].sort()).not.toEqual(bytewise);
  });
});

describe('continuation token', () => {
  it('round-trips and has the OSS shape', () => {
    expect(encodeContinuationToken('bc')).toBe('CgJiYw--');
    const long = 'k'.repeat(300) + '☃';
    expect(decodeContinuationToken(encodeContinuationToken(long))).toBe(long);
  });
  it('rejects foreign tokens', () => {
    expect(decodeContinuationToken('not a token')).toBeUndefined();
    expect(decodeContinuationToken('AAAA')).toBeUndefined();
    expect(decodeContinuationToken('CgNiYw--')).toBeUndefined(); // length says 3, payload has 2
  });
});

describe('Range semantics', () => {
  it('follows the OSS default (ignore invalid ranges)', () => {
    expect(resolveRange('bytes=0-9', 100, false)).toEqual({ partial: true, start: 0, end: 9 });
    expect(resolveRange('bytes=90-', 100, false)).toEqual({ partial: true, start: 90, end: 99 });
    expect(resolveRange('bytes=-10', 100, false)).toEqual({ partial: true, start: 90, end: 99 });
    expect(resolveRange('bytes=0-100', 100, false)).toEqual({ partial: false });
    expect(resolveRange('bytes=100-200', 100, false)).toEqual({ partial: false });
    expect(resolveRange('bytes=-200', 100, false)).toEqual({ partial: false });
    expect(resolveRange('bytes=5-2', 100, false)).toEqual({ partial: false });
  });
  it('follows RFC 7233 with x-oss-range-behavior: standard', () => {
    expect(resolveRange('bytes=0-100', 100, true)).toEqual({ partial: true, start: 0, end: 99 });
    expect(resolveRange('bytes=-200', 100, true)).toEqual({ partial: true, start: 0, end: 99 });
    expect(() => resolveRange('bytes=100-200', 100, true)).toThrow(OssError);
    expect(() => resolveRange('bytes=100-', 100, true)).toThrow(
      expect.objectContaining({ status: 416, code: 'InvalidRange' }),
    );
  });
});
