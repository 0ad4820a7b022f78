// Compares an IMM dataset of the emulator with the bucket: one Indexed file per object, carrying the facts
// the sync sent (fingerprint, size, modification time), and no file without its object.
import type { ImmEmulator } from '../../src/emulators/imm/index.ts';
import type { OssEmulator } from '../../src/emulators/oss/index.ts';

export interface ImmComparison {
  objects: number;
  missing: string[];
  extra: string[];
  failed: string[];
  mismatched: string[];
}

export function compareImmDatasetWithBucket(
  oss: OssEmulator,
  imm: ImmEmulator,
  o: { bucket: string; project: string; dataset: string; prefix?: string },
): ImmComparison {
  const base = `oss://${o.bucket}/`;
  const objects = oss.store
    .listObjects(o.bucket, o.prefix ?? '')
    // Folder markers are not objects the pipeline syncs.
    .filter((x) => !(x.key.endsWith('/') && x.size === 0));
  const files = new Map(
    imm.store
      .listFiles(o.project, o.dataset)
      .filter((f) => f.URI.startsWith(base + (o.prefix ?? '')))
      .map((f) => [f.URI.slice(base.length), f]),
  );
  const out: ImmComparison = { objects: objects.length, missing: [], extra: [], failed: [], mismatched: [] };
  for (const obj of objects) {
    const f = files.get(obj.key);
    files.delete(obj.key);
    if (!f) {
      out.missing.push(obj.key);
      continue;
    }
    if (f.ObjectStatus !== 'Indexed') {
      out.failed.push(obj.key);
      continue;
    }
    const labels = f.CustomLabels ?? {};
    const etag = obj.etag.replace(/"/g, '').toUpperCase();
    if (
      String(labels.SyncFingerprint).toUpperCase() !== etag ||
      labels.SyncSize !== String(obj.size) ||
      labels.SyncModified !== String(obj.lastModified.getTime())
    ) {
      out.mismatched.push(obj.key);
    }
  }
  out.extra = [...files.keys()];
  return out;
}

/** IMM calls that write: indexing and deleting. */
export function immWriteCalls(imm: ImmEmulator): number {
  const c = imm.stats.calls;
  return (
    (c.BatchIndexFileMeta ?? 0) +
    (c.IndexFileMeta ?? 0) +
    (c.BatchDeleteFileMeta ?? 0) +
    (c.DeleteFileMeta ?? 0)
  );
}
