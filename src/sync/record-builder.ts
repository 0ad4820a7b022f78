// Builds the PAI record of one object. Uri is oss://bucket/key with the key as-is (not percent-encoded),
// which is how PAI shows OSS Uris; FileName is the last path segment.
import type { FileMetaCreate } from '../pai/dataset-api.ts';

export interface RecordFacts {
  bucket: string;
  key: string;
  size: number;
  lastModified: number;
  fingerprint: string;
  contentType: string;
  fileType: string;
}

export function objectUri(bucket: string, key: string): string {
  return `oss://${bucket}/${key}`;
}

export function buildRecord(f: RecordFacts): FileMetaCreate {
  const iso = new Date(f.lastModified).toISOString();
  const slash = f.key.lastIndexOf('/');
  return {
    Uri: objectUri(f.bucket, f.key),
    FileName: slash >= 0 ? f.key.slice(slash + 1) : f.key,
    FileFingerPrint: f.fingerprint,
    FileType: f.fileType,
    ContentType: f.contentType,
    DataSize: f.size,
    FileUpdateTime: iso,
    // OSS keeps no creation time; the first Last-Modified we see is the best stand-in.
    FileCreateTime: iso,
  };
}
