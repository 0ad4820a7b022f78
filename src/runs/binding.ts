// A binding's identity: the pair source oss://bucket/prefix -> target (workspace, dataset, version).
import { createHash } from 'node:crypto';

export function bindingId(p: {
  bucket: string;
  prefix: string;
  workspaceId: string;
  datasetId: string;
  datasetVersion: string;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([p.bucket, p.prefix, p.workspaceId, p.datasetId, p.datasetVersion]))
    .digest('hex')
    .slice(0, 16);
}
