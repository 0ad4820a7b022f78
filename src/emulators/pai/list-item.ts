// The shape of a ListDatasetFileMetas item. The SDK's DatasetFileMeta model has DatasetFileMetaId, Uri,
// FileName, FileType, ContentType, FileFingerPrint, MetaAttributes, Tags, DataSize, FileCreateTime,
// FileUpdateTime, SemanticIndexJobId, SemanticIndexUpdateTime, DownloadUrl, ThumbnailUrl, Score (and
// Status in newer versions); it drops anything else. The API doc's JSON example also shows FileDir,
// Comment, SyncTime and TagUpdateTime. Undocumented which is right: `listItemFields` 'sdk' (default)
// answers the model's fields, 'doc' adds the doc example's (README.md).
import type { PaiFileMetaRecord } from './types.ts';

export type ListItemFields = 'sdk' | 'doc';

const SDK_FIELDS = [
  'DatasetFileMetaId',
  'Uri',
  'FileName',
  'FileType',
  'ContentType',
  'FileFingerPrint',
  'MetaAttributes',
  'Tags',
  'DataSize',
  'FileCreateTime',
  'FileUpdateTime',
  'SemanticIndexJobId',
  'SemanticIndexUpdateTime',
  'Status',
] as const;

const DOC_EXTRA_FIELDS = ['FileDir', 'Comment', 'SyncTime', 'TagUpdateTime'] as const;

/**
 * The object's HTTPS address: `oss://bucket.endpoint/key` keeps its endpoint, `oss://bucket/key` gets
 * the public cn-hangzhou one. Not signed (the emulator holds no OSS credentials; README.md).
 */
export function downloadUrl(uri: string): string | undefined {
  const m = /^oss:\/\/([^/]+)\/(.+)$/s.exec(uri);
  if (!m) return undefined;
  const host = (m[1] as string).includes('.') ? (m[1] as string) : `${m[1]}.oss-cn-hangzhou.aliyuncs.com`;
  const key = (m[2] as string).split('/').map(encodeURIComponent).join('/');
  return `https://${host}/${key}`;
}

function isImage(rec: PaiFileMetaRecord): boolean {
  return (rec.ContentType ?? '').startsWith('image/') || rec.FileType === 'image';
}

/**
 * ThumbnailUrl: images only, OSS image processing resize with the request's ThumbnailMode (`p_50`,
 * `w_200`, `m_fill,w_,h_` ...; default `m_lfit,w_200`).
 */
export function thumbnailUrl(rec: PaiFileMetaRecord, mode: string | undefined): string | undefined {
  if (!isImage(rec)) return undefined;
  const url = downloadUrl(rec.Uri);
  return url && `${url}?x-oss-process=${encodeURIComponent(`image/resize,${mode ?? 'm_lfit,w_200'}`)}`;
}

export function listItem(
  rec: PaiFileMetaRecord,
  shape: ListItemFields,
  thumbnailMode: string | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = shape === 'doc' ? [...SDK_FIELDS, ...DOC_EXTRA_FIELDS] : SDK_FIELDS;
  for (const f of fields) if (rec[f] !== undefined) out[f] = rec[f];
  const download = downloadUrl(rec.Uri);
  if (download) out.DownloadUrl = download;
  const thumb = thumbnailUrl(rec, thumbnailMode);
  if (thumb) out.ThumbnailUrl = thumb;
  return out;
}
