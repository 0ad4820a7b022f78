// The demo's sample bucket: real small PNG images, text and JSON files, odd keys that break naive code, a
// zero-byte object, a folder marker, a multipart-type object and an appendable one.
import { crc32, deflateSync } from 'node:zlib';
import type { OssStore } from '../emulators/oss/index.ts';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A valid size x size RGB PNG filled with a colour derived from seed. */
export function tinyPng(seed: number, size = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) {
    row[1 + x * 3] = (seed * 37 + x * 11) & 0xff;
    row[2 + x * 3] = (seed * 17) & 0xff;
    row[3 + x * 3] = (seed * 5 + x) & 0xff;
  }
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ODD_KEYS = [
  'odd/with space.txt',
  'odd/plus+sign.txt',
  'odd/percent%20encoded.txt',
  'odd/hash#tag.txt',
  'odd/question?mark.txt',
  'odd/new\nline.txt',
  'odd/中文文件名.txt',
  'odd/emoji-😀.txt',
  'odd/ümlaut-ß.txt',
  'odd/tab\there.txt',
  `odd/${'k'.repeat(1023 - 'odd/'.length)}`,
];

export interface SampleSummary {
  objects: number;
  images: number;
  texts: number;
}

export function seedSampleBucket(
  store: OssStore,
  bucket: string,
  opts: { images?: number; texts?: number; prefix?: string } = {},
): SampleSummary {
  const prefix = opts.prefix ?? '';
  const images = opts.images ?? 2000;
  const texts = opts.texts ?? 1000;
  const base = Date.UTC(2026, 0, 1);
  function* all() {
    for (let i = 0; i < images; i++) {
      yield {
        key: `${prefix}images/class-${String(i % 10).padStart(2, '0')}/img-${String(i).padStart(5, '0')}.png`,
        body: tinyPng(i),
        contentType: 'image/png',
        lastModified: new Date(base + i * 1000),
      };
    }
    for (let i = 0; i < texts; i++) {
      const json = i % 4 === 0;
      yield {
        key: `${prefix}${json ? 'labels' : 'text'}/doc-${String(i).padStart(5, '0')}.${json ? 'json' : 'txt'}`,
        body: json ? JSON.stringify({ id: i, label: `class-${i % 10}` }) : `document ${i}\n`,
        contentType: json ? 'application/json' : 'text/plain',
        lastModified: new Date(base + i * 1000),
      };
    }
    for (const k of ODD_KEYS)
      yield { key: `${prefix}${k}`, body: `odd key ${k}`, lastModified: new Date(base) };
    yield { key: `${prefix}empty/zero-byte.bin`, body: Buffer.alloc(0), lastModified: new Date(base) };
    // A folder marker, as consoles create them: skipped by the sync.
    yield { key: `${prefix}images/`, body: Buffer.alloc(0), lastModified: new Date(base) };
  }
  const seeded = store.seedObjects(bucket, all());
  store.putMultipartObject(
    bucket,
    `${prefix}video/clip-multipart.mp4`,
    [Buffer.alloc(64 * 1024, 1), Buffer.alloc(64 * 1024, 2), Buffer.alloc(1000, 3)],
    {
      contentType: 'video/mp4',
    },
  );
  store.appendObject(bucket, `${prefix}logs/appendable.log`, 'line 1\n', { contentType: 'text/plain' });
  store.appendObject(bucket, `${prefix}logs/appendable.log`, 'line 2\n');
  return { objects: seeded + 2, images, texts };
}
