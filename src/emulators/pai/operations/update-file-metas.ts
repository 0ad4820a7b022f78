// UpdateDatasetFileMetas: PUT /api/v1/datasets/{DatasetId}/datasetfilemetas. Only the given fields change;
// Uri cannot (the update model has no Uri), so a Uri in an item is ignored. The answer has no
// SucceedDetails (per the model): an item not in FailedDetails was updated.
import { checkUpdateItem } from '../file-meta-fields.ts';
import { nowIso } from '../iso-time.ts';
import { RESULT } from '../results.ts';
import {
  failedItem,
  fileMetaTarget,
  itemFaulted,
  itemsOf,
  stringParam,
  writeAnswer,
  type ItemResult,
  type Operation,
} from './context.ts';

export const updateFileMetas: Operation = (req, ctx) => {
  const items = itemsOf(req.body, ctx);
  // WorkspaceId and DatasetVersion are optional here (reference §5); the version defaults to v1.
  const { records } = fileMetaTarget(
    ctx,
    req.path.DatasetId,
    stringParam(req.body, 'WorkspaceId'),
    stringParam(req.body, 'DatasetVersion'),
  );
  const now = nowIso();
  const failed: ItemResult[] = [];
  let changed = 0;

  for (const raw of items) {
    const checked = checkUpdateItem(raw, now, (id) => records.findById(id)?.rec.Tags);
    if ('error' in checked) {
      failed.push(
        failedItem(
          (raw as { DatasetFileMetaId?: unknown } | null)?.DatasetFileMetaId,
          undefined,
          checked.error,
        ),
      );
      continue;
    }
    const stored = records.findById(checked.ok.id);
    if (!stored || stored.rec.Status !== 'ACTIVE') {
      failed.push(failedItem(checked.ok.id, undefined, RESULT.notFound));
      continue;
    }
    if (itemFaulted(ctx)) {
      failed.push(failedItem(checked.ok.id, stored.rec.Uri, RESULT.retryable));
      continue;
    }
    records.update(stored, { SyncTime: now, ...checked.ok.patch });
    changed++;
  }
  ctx.stats.accepted.updated += changed;
  if (changed > 0) ctx.store.onChange();
  return writeAnswer(ctx, failed);
};
