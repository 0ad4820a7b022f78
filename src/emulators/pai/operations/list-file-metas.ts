// ListDatasetFileMetas: GET /api/v1/datasets/{DatasetId}/datasetfilemetas. The page and TotalCount come
// from list-page.ts: a walk of the records from the cursor (O(page + skipped non-matching records)), or,
// for queries requiring exact FileName values (the sync's lookups), the version's index (O(matches)).
import { encodeNextToken } from '../list-cursor.ts';
import { listItem } from '../list-item.ts';
import { listPage } from '../list-page.ts';
import { parseListQuery, positionOf } from '../list-query.ts';
import { fileMetaTarget, requiredParam, type Operation } from './context.ts';

export const listFileMetas: Operation = (req, ctx) => {
  const workspaceId = requiredParam(req.query, 'WorkspaceId');
  const version = requiredParam(req.query, 'DatasetVersion');
  const q = parseListQuery(req.query);
  const { dataset, records } = fileMetaTarget(ctx, req.path.DatasetId, workspaceId, version);
  const { page, more, total } = listPage(records, q);

  const last = page[page.length - 1];
  const body: Record<string, unknown> = {
    RequestId: ctx.requestId,
    TotalCount: total,
    PageSize: page.length,
    MaxResults: q.maxResults,
    DatasetFileMetas: page.map((s) =>
      listItem(s.rec, ctx.settings.listItemFields, req.query.ThumbnailMode || undefined),
    ),
    DatasetId: dataset.DatasetId,
    WorkspaceId: dataset.WorkspaceId,
    DatasetVersion: version,
  };
  // No NextToken on the last page: that is how clients know they are done.
  if (more && last) body.NextToken = encodeNextToken(q.sortBy, q.desc, positionOf(q, last));
  return body;
};
