// DeleteDatasetFileMetas: DELETE /api/v1/datasets/{DatasetId}/datasetfilemetas?DatasetFileMetaIds=a,b,c
// A soft delete: the record stays, Status DELETED, listed only with Status DELETED|ALL, and its Uri no
// longer blocks a Create. The single string parameter carries several ids comma-separated (the SDK sends
// one string; a JSON array string is accepted too). Unknown or already deleted ids -> "Not Found".
import { invalidParameter } from '../api-error.ts';
import { RESULT } from '../results.ts';
import {
  checkItemCount,
  failedItem,
  fileMetaTarget,
  itemFaulted,
  requiredParam,
  stringParam,
  writeAnswer,
  type ItemResult,
  type Operation,
} from './context.ts';

export function parseIdList(name: string, value: string): string[] {
  const text = value.trim();
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidParameter(name, 'is neither a comma-separated list nor a JSON array of strings');
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
      throw invalidParameter(name, 'must be a JSON array of strings');
    }
    return parsed.map((x: string) => x.trim()).filter((x) => x !== '');
  }
  return text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export const deleteFileMetas: Operation = (req, ctx) => {
  const ids = parseIdList('DatasetFileMetaIds', requiredParam(req.query, 'DatasetFileMetaIds'));
  checkItemCount(ids.length, 'DatasetFileMetaIds', ctx);
  const { records } = fileMetaTarget(
    ctx,
    req.path.DatasetId,
    stringParam(req.query, 'WorkspaceId'),
    stringParam(req.query, 'DatasetVersion'),
  );
  const failed: ItemResult[] = [];
  let changed = 0;
  for (const id of ids) {
    const stored = records.findById(id);
    if (!stored || stored.rec.Status !== 'ACTIVE') {
      failed.push(failedItem(id, undefined, RESULT.notFound));
      continue;
    }
    if (itemFaulted(ctx)) {
      failed.push(failedItem(id, stored.rec.Uri, RESULT.retryable));
      continue;
    }
    records.softDelete(stored);
    changed++;
  }
  ctx.stats.accepted.deleted += changed;
  if (changed > 0) ctx.store.onChange();
  return writeAnswer(ctx, failed);
};
