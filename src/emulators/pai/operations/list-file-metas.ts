// ListDatasetFileMetas: GET /api/v1/datasets/{DatasetId}/datasetfilemetas. Walks the version's records in
// the requested order from the cursor and stops one match after the page is full (that match only proves
// a next page exists), so a page costs O(page + skipped non-matching records), not O(records).
import { encodeNextToken } from '../list-cursor.ts';
import { listItem } from '../list-item.ts';
import { matchesQuery, parseListQuery, positionOf } from '../list-query.ts';
import type { StoredRecord } from '../version-records.ts';
import { fileMetaTarget, requiredParam, type Operation } from './context.ts';

export const listFileMetas: Operation = (req, ctx) => {
  const workspaceId = requiredParam(req.query, 'WorkspaceId');
  const version = requiredParam(req.query, 'DatasetVersion');
  const q = parseListQuery(req.query);
  const { dataset, records } = fileMetaTarget(ctx, req.path.DatasetId, workspaceId, version);

  const page: StoredRecord[] = [];
  let more = false;
  for (const s of records.scan(q.sortBy, q.desc, q.after)) {
    if (!matchesQuery(q, s)) continue;
    if (page.length === q.maxResults) {
      more = true;
      break;
    }
    page.push(s);
  }

  let total: number;
  if (q.filters.length === 0) {
    const deleted = records.size - records.activeCount;
    total = q.status === 'ACTIVE' ? records.activeCount : q.status === 'DELETED' ? deleted : records.size;
  } else {
    total = 0;
    for (const s of records.records()) if (matchesQuery(q, s)) total++;
  }

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
