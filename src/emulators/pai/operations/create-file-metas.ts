// CreateDatasetFileMetas: POST /api/v1/datasets/{DatasetId}/datasetfilemetas. Per item, in this order:
// field validation -> duplicate Uri -> edition cap -> partialFailureRate fault -> created. The order keeps
// every permanent outcome deterministic (the fault only ever hits an item that would otherwise succeed).
import { uriMatchesSource } from '../dataset-fields.ts';
import { checkCreateItem } from '../file-meta-fields.ts';
import { nowIso } from '../iso-time.ts';
import { RESULT, quotaExceeded } from '../results.ts';
import {
  failedItem,
  fileMetaTarget,
  itemFaulted,
  itemsOf,
  requiredParam,
  writeAnswer,
  type ItemResult,
  type Operation,
} from './context.ts';

export const createFileMetas: Operation = (req, ctx) => {
  const workspaceId = requiredParam(req.body, 'WorkspaceId');
  const version = requiredParam(req.body, 'DatasetVersion');
  const items = itemsOf(req.body, ctx);
  const { dataset, records } = fileMetaTarget(ctx, req.path.DatasetId, workspaceId, version);
  const edition = dataset.Edition as 'ADVANCED' | 'LOGICAL';
  const cap = ctx.settings.editionCaps[edition];
  const now = nowIso();
  const failed: ItemResult[] = [];
  const succeeded: ItemResult[] = [];

  for (const raw of items) {
    const uri = (raw as { Uri?: unknown } | null)?.Uri;
    const checked = checkCreateItem(raw, now);
    if ('error' in checked) {
      failed.push(failedItem(undefined, uri, checked.error));
      continue;
    }
    // A Uri of another storage kind (nas:// in an OSS dataset) cannot belong to this dataset.
    if (!uriMatchesSource(checked.ok.uri, dataset.DataSourceType)) {
      failed.push(
        failedItem(
          undefined,
          uri,
          `${RESULT.invalidPrefix} Uri is not a ${dataset.DataSourceType} location of this dataset`,
        ),
      );
      continue;
    }
    const existing = records.activeWithUri(checked.ok.uri);
    if (existing && !ctx.settings.allowDuplicateUris) {
      // The existing id lets a client that lost the answer of an earlier create adopt the record.
      failed.push(failedItem(existing.rec.DatasetFileMetaId, checked.ok.uri, RESULT.uriExists));
      continue;
    }
    if (records.activeCount >= cap) {
      failed.push(failedItem(undefined, checked.ok.uri, quotaExceeded(edition, cap)));
      continue;
    }
    if (itemFaulted(ctx)) {
      failed.push(failedItem(undefined, checked.ok.uri, RESULT.retryable));
      continue;
    }
    // The id is the store's (derived from the record's position, see file-meta-ids.ts).
    const id = records.add({
      Uri: checked.ok.uri,
      FileDir: checked.ok.dir,
      SyncTime: now,
      ...checked.ok.patch,
      Status: 'ACTIVE',
    });
    succeeded.push({ DatasetFileMetaId: id, Uri: checked.ok.uri, Result: RESULT.success });
  }
  ctx.stats.accepted.created += succeeded.length;
  if (succeeded.length > 0) ctx.store.onChange();
  return writeAnswer(ctx, failed, succeeded);
};
