// The tests' oracle: does the dataset match the bucket? Same set of Uris, no duplicates, equal fingerprints
// (etag mode) and sizes. Reads both emulators' stores directly, in memory, independently of the product's own
// `verify` (src/verify/), which the demo uses and which reads through the real clients with bounded memory.
import type { OssEmulator } from '../emulators/oss/index.ts';
import type { PaiEmulator } from '../emulators/pai/index.ts';
import { createKeyFilter } from '../sync/key-filter.ts';

export interface Comparison {
  objects: number;
  records: number;
  missing: string[];
  extra: string[];
  duplicates: string[];
  mismatched: string[];
  ok: boolean;
}

export function compareDatasetWithBucket(
  oss: OssEmulator,
  pai: PaiEmulator,
  p: {
    bucket: string;
    prefix?: string;
    datasetId: string;
    version?: string;
    checkFingerprint?: boolean;
    include?: string[];
    exclude?: string[];
  },
): Comparison {
  const prefix = p.prefix ?? '';
  const filter = createKeyFilter(prefix, p.include ?? [], p.exclude ?? []);
  const objects = oss.store.listObjects(p.bucket, prefix).filter((o) => filter(o.key));
  const records = pai.store.listRecords(p.datasetId, p.version ?? 'v1', 'ACTIVE');
  const byUri = new Map<string, (typeof records)[number]>();
  const duplicates: string[] = [];
  for (const r of records) {
    if (byUri.has(r.Uri)) duplicates.push(r.Uri);
    byUri.set(r.Uri, r);
  }
  const missing: string[] = [];
  const mismatched: string[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const uri = `oss://${p.bucket}/${o.key}`;
    seen.add(uri);
    const r = byUri.get(uri);
    if (!r) {
      missing.push(uri);
      continue;
    }
    const fp = o.etag.replace(/"/g, '');
    if (r.DataSize !== o.size || (p.checkFingerprint !== false && r.FileFingerPrint !== fp))
      mismatched.push(uri);
  }
  const extra = [...byUri.keys()].filter((u) => !seen.has(u));
  return {
    objects: objects.length,
    records: records.length,
    missing,
    extra,
    duplicates,
    mismatched,
    ok: missing.length === 0 && extra.length === 0 && duplicates.length === 0 && mismatched.length === 0,
  };
}

export function formatComparison(c: Comparison): string {
  const head = c.ok
    ? `check: OK: ${c.records} records match ${c.objects} objects (same Uris, no duplicates, equal fingerprints and sizes)`
    : `check: MISMATCH: ${c.records} records vs ${c.objects} objects`;
  const parts = [head];
  const show = (label: string, list: string[]) => {
    if (list.length > 0)
      parts.push(
        `  ${label} ${list.length}: ${list
          .slice(0, 5)
          .map((x) => JSON.stringify(x))
          .join(', ')}`,
      );
  };
  show('missing', c.missing);
  show('extra', c.extra);
  show('duplicates', c.duplicates);
  show('mismatched', c.mismatched);
  return parts.join('\n');
}
