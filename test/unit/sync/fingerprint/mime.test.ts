import { describe, expect, it } from 'vitest';
import { mimeFromContentType, mimeFromKey } from '../../../../src/sync/fingerprint/mime.ts';

describe('mimeFromKey', () => {
  it.each([
    // images
    ['img/0001.jpg', 'image/jpeg', 'image'],
    ['img/0001.JPEG', 'image/jpeg', 'image'],
    ['a.png', 'image/png', 'image'],
    ['a.gif', 'image/gif', 'image'],
    ['a.bmp', 'image/bmp', 'image'],
    ['a.tif', 'image/tiff', 'image'],
    ['a.tiff', 'image/tiff', 'image'],
    ['a.webp', 'image/webp', 'image'],
    ['a.heic', 'image/heic', 'image'],
    ['a.svg', 'image/svg+xml', 'image'],
    ['favicon.ico', 'image/x-icon', 'image'],
    // video
    ['v/clip.mp4', 'video/mp4', 'video'],
    ['clip.mov', 'video/quicktime', 'video'],
    ['clip.avi', 'video/x-msvideo', 'video'],
    ['clip.mkv', 'video/x-matroska', 'video'],
    ['clip.webm', 'video/webm', 'video'],
    // audio
    ['s.wav', 'audio/wav', 'audio'],
    ['s.mp3', 'audio/mpeg', 'audio'],
    ['s.flac', 'audio/x-flac', 'audio'],
    ['s.ogg', 'audio/ogg', 'audio'],
    ['s.m4a', 'audio/mp4', 'audio'],
    // text
    ['README.txt', 'text/plain', 'text'],
    ['t.csv', 'text/csv', 'text'],
    ['t.tsv', 'text/tab-separated-values', 'text'],
    ['doc.md', 'text/markdown', 'text'],
    ['page.html', 'text/html', 'text'],
    ['cfg.yaml', 'text/yaml', 'text'],
    ['cfg.yml', 'text/yaml', 'text'],
    // textual but registered under application/: FileType follows the MIME top level
    ['labels.json', 'application/json', 'application'],
    ['train.jsonl', 'application/jsonl', 'application'],
    ['ann.xml', 'application/xml', 'application'],
    // ML data, models, archives
    ['part-0001.parquet', 'application/vnd.apache.parquet', 'application'],
    ['x.npy', 'application/x-npy', 'application'],
    ['x.npz', 'application/x-npz', 'application'],
    ['model.pt', 'application/x-pytorch', 'application'],
    ['model.pth', 'application/x-pytorch', 'application'],
    ['model.onnx', 'application/x-onnx', 'application'],
    ['model.safetensors', 'application/x-safetensors', 'application'],
    ['shard.tar', 'application/x-tar', 'application'],
    ['shard.tar.gz', 'application/gzip', 'application'],
    ['data.zip', 'application/zip', 'application'],
    ['paper.pdf', 'application/pdf', 'application'],
    ['weights.bin', 'application/octet-stream', 'application'],
    ['train-00001.tfrecord', 'application/x-tfrecord', 'application'],
    ['t.arrow', 'application/vnd.apache.arrow.file', 'application'],
  ])('%s -> %s (%s)', (key, contentType, fileType) => {
    expect(mimeFromKey(key)).toEqual({ contentType, fileType });
  });

  it.each([
    ['unknown extension', 'data/file.xyz'],
    ['no extension', 'data/LICENSE'],
    ['dotfile is a name, not an extension', 'data/.jpg'],
    ['dot in a directory name only', 'v1.2/README'],
    ['trailing dot', 'weird.'],
    ['directory marker', 'images/'],
    ['empty key', ''],
  ])('%s -> octet-stream', (_name, key) => {
    expect(mimeFromKey(key)).toEqual({ contentType: 'application/octet-stream', fileType: 'application' });
  });

  it('keeps fileType equal to the top level of contentType for every mapped extension', () => {
    const keys = ['a.jpg', 'a.mp4', 'a.wav', 'a.csv', 'a.json', 'a.parquet', 'a.unknown'];
    for (const key of keys) {
      const { contentType, fileType } = mimeFromKey(key);
      expect(contentType.split('/')[0]).toBe(fileType);
    }
  });
});

describe('mimeFromContentType', () => {
  it.each([
    ['image/jpeg', 'image/jpeg', 'image'],
    ['Image/JPEG', 'image/jpeg', 'image'],
    ['text/csv; charset=utf-8', 'text/csv', 'text'],
    [' application/json ; charset=UTF-8', 'application/json', 'application'],
    ['video/mp4', 'video/mp4', 'video'],
    ['audio/mpeg', 'audio/mpeg', 'audio'],
    // top levels PAI's FileType does not know are opaque data
    ['font/woff2', 'font/woff2', 'application'],
    ['model/gltf+json', 'model/gltf+json', 'application'],
    ['multipart/form-data; boundary=x', 'multipart/form-data', 'application'],
  ])('%j -> %s (%s)', (header, contentType, fileType) => {
    expect(mimeFromContentType(header)).toEqual({ contentType, fileType });
  });

  it.each(['', 'jpeg', '/jpeg', 'image/', 'image /jpeg', ';charset=utf-8'])(
    'garbage %j -> octet-stream',
    (header) => {
      expect(mimeFromContentType(header)).toEqual({
        contentType: 'application/octet-stream',
        fileType: 'application',
      });
    },
  );

  it('agrees with mimeFromKey for the type a key maps to', () => {
    for (const key of ['a.jpg', 'a.json', 'a.flac', 'a.npy']) {
      expect(mimeFromContentType(mimeFromKey(key).contentType)).toEqual(mimeFromKey(key));
    }
  });
});
