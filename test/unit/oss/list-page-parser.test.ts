import { describe, expect, it } from 'vitest';
import { ListParseError, parseListObjectsV2 } from '../../../src/oss/list-page-parser.ts';

// Shaped like the OSS documentation's example: xmlns on the root, KeyCount last, entities in keys.
const DOC = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Name>examplebucket</Name>
  <Prefix>dir/</Prefix>
  <MaxKeys>2</MaxKeys>
  <Contents>
    <Key>dir/a &amp; b &lt;1&gt;.txt</Key>
    <LastModified>2020-05-18T05:45:54.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag>
    <Type>Normal</Type>
    <Size>344606</Size>
    <StorageClass>Standard</StorageClass>
  </Contents>
  <Contents>
    <Key>dir/&#20013;&#x6587;.txt</Key>
    <LastModified>2020-05-18T05:45:55.000Z</LastModified>
    <ETag>"9AA9C1783224A1536D3F1E222C9C791B-6"</ETag>
    <Type>Multipart</Type>
    <Size>0</Size>
  </Contents>
  <CommonPrefixes><Prefix>dir/sub/</Prefix></CommonPrefixes>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>CgJiYw--</NextContinuationToken>
  <KeyCount>3</KeyCount>
</ListBucketResult>`;

describe('parseListObjectsV2', () => {
  it('reads entries, prefixes and the continuation token, decoding XML entities', () => {
    const page = parseListObjectsV2(DOC, false);
    expect(page.objects).toEqual([
      {
        key: 'dir/a & b <1>.txt',
        etag: '"5B3C1A2E053D763E1B002CC607C5A0FE"',
        size: 344606,
        lastModified: Date.parse('2020-05-18T05:45:54.000Z'),
        type: 'Normal',
      },
      {
        key: 'dir/中文.txt',
        etag: '"9AA9C1783224A1536D3F1E222C9C791B-6"',
        size: 0,
        lastModified: Date.parse('2020-05-18T05:45:55.000Z'),
        type: 'Multipart',
      },
    ]);
    expect(page.prefixes).toEqual(['dir/sub/']);
    expect(page.isTruncated).toBe(true);
    expect(page.nextContinuationToken).toBe('CgJiYw--');
  });

  it('decodes percent-encoded keys, prefixes and tokens with encoding-type=url', () => {
    const xml = `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
      <NextContinuationToken>Cg%2BiYw--</NextContinuationToken>
      <Contents><Key>a%20b%2Bc%0Anew%23line%3F.txt</Key><ETag>"X"</ETag><Size>1</Size><LastModified>2020-01-01T00:00:00.000Z</LastModified></Contents>
      <CommonPrefixes><Prefix>p%2Fq%2F</Prefix></CommonPrefixes></ListBucketResult>`;
    const page = parseListObjectsV2(xml, true);
    expect(page.objects[0]!.key).toBe('a b+c\nnew#line?.txt');
    expect(page.objects[0]!.type).toBe('Normal');
    expect(page.prefixes).toEqual(['p/q/']);
    expect(page.nextContinuationToken).toBe('Cg+iYw--');
  });

  it('has no token on the last page', () => {
    const page = parseListObjectsV2(
      '<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>',
      false,
    );
    expect(page).toEqual({ objects: [], prefixes: [], isTruncated: false });
  });

  it.each([
    ['not a listing', '<Error><Code>AccessDenied</Code></Error>', /not a ListBucketResult/],
    [
      'entry without key',
      '<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>',
      /without <Key>/,
    ],
    ['unterminated entry', '<ListBucketResult><Contents><Key>a</Key>', /unterminated <Contents>/],
    [
      'bad percent-encoding',
      '<ListBucketResult><Contents><Key>%E0%A4%A</Key></Contents></ListBucketResult>',
      /not valid percent-encoding/,
    ],
  ])('rejects %s', (_name, xml, message) => {
    expect(() => parseListObjectsV2(xml, true)).toThrow(ListParseError);
    expect(() => parseListObjectsV2(xml, true)).toThrow(message);
  });
});

describe('ETag entities', () => {
  it.each([
    ['&quot;ABC&quot;', '"ABC"'],
    ['&quot;&quot;', '""'],
    ['&quot;A&amp;B&quot;', '"A&B"'],
    ['&quot;A&quot;&quot;', '"A""'],
    ['x&quot;', 'x"'],
  ])('%s -> %s', (raw, etag) => {
    const xml = `<ListBucketResult><Contents><Key>k</Key><ETag>${raw}</ETag></Contents></ListBucketResult>`;
    expect(parseListObjectsV2(xml, false).objects[0]!.etag).toBe(etag);
  });
});
