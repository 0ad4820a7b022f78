// GetDatasetFileMetasStatistics: GET /api/v1/statistics/datasets/{DatasetId}/datasetfilemetas. Counts the
// ACTIVE records of a version, optionally grouped by AggregateBy (case-insensitive): filedir, file_type,
// tags.ai, tags.user, tags.user-delete-ai-tags, tags.all (ai minus user-deleted ai tags, plus user).
// Groups come most frequent first (ties by key), at most MaxResults (1..100, default 10). TotalCount is
// the number of ACTIVE records either way (undocumented with AggregateBy; README.md).
import { invalidParameter } from '../api-error.ts';
import { USER_DELETED_AI_TAGS, allTags } from '../tags.ts';
import { tagsOf, type StoredRecord } from '../version-records.ts';
import { fileMetaTarget, requiredParam, stringParam, type Operation } from './context.ts';

const AGGREGATIONS: Record<string, (s: StoredRecord) => string[]> = {
  filedir: (s) => [s.rec.FileDir],
  file_type: (s) => (s.rec.FileType === undefined ? [] : [s.rec.FileType]),
  'tags.ai': (s) => tagsOf(s).ai ?? [],
  'tags.user': (s) => tagsOf(s).user ?? [],
  [`tags.${USER_DELETED_AI_TAGS}`]: (s) => tagsOf(s)[USER_DELETED_AI_TAGS] ?? [],
  'tags.all': (s) => [...new Set(allTags(tagsOf(s)))],
};

export const fileMetasStatistics: Operation = (req, ctx) => {
  const workspaceId = requiredParam(req.query, 'WorkspaceId');
  const version = requiredParam(req.query, 'DatasetVersion');
  const { records } = fileMetaTarget(ctx, req.path.DatasetId, workspaceId, version);
  const rawMax = stringParam(req.query, 'MaxResults');
  const max = rawMax === undefined ? 10 : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > 100)
    throw invalidParameter('MaxResults', 'must be an integer from 1 to 100');
  const by = stringParam(req.query, 'AggregateBy')?.toLowerCase();
  const keysOf = by === undefined ? undefined : AGGREGATIONS[by];
  if (by !== undefined && !keysOf) {
    throw invalidParameter('AggregateBy', `must be one of ${Object.keys(AGGREGATIONS).join(', ')}`);
  }
  const counts = new Map<string, number>();
  if (keysOf) {
    for (const s of records.records()) {
      if (s.rec.Status !== 'ACTIVE') continue;
      for (const k of keysOf(s)) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const stats = [...counts]
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, max)
    .map(([Key, Count]) => ({ Key, Count }));
  return { RequestId: ctx.requestId, TotalCount: records.activeCount, DatasetFileMetasStats: stats };
};
