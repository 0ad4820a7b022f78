// CreateDatasetVersion (POST /api/v1/datasets/{DatasetId}/versions), GetDatasetVersion
// (GET .../versions/{VersionName}) and ListDatasetVersions (GET .../versions). File metadata of any
// existing version goes through the file-meta operations with DatasetVersion = its name.
import { PaiApiError } from '../api-error.ts';
import {
  checkCreateVersion,
  parseVersionListQuery,
  versionMatches,
  versionView,
} from '../dataset-versions.ts';
import { findDataset, stringParam, type Operation } from './context.ts';
import { positiveInt, sortOrder } from './datasets.ts';

const VERSION_SORT_KEYS = [
  'GmtCreateTime',
  'GmtModifiedTime',
  'SourceType',
  'DataSourceType',
  'DataSize',
  'DataCount',
  'Property',
  'DatasetId',
] as const;

export const createDatasetVersion: Operation = (req, ctx) => {
  const dataset = findDataset(ctx, req.path.DatasetId);
  const meta = ctx.store.addVersion(dataset, (name, now) => checkCreateVersion(req.body, dataset, name, now));
  return { RequestId: ctx.requestId, VersionName: meta.VersionName };
};

export const getDatasetVersion: Operation = (req, ctx) => {
  const dataset = findDataset(ctx, req.path.DatasetId);
  const name = req.path.VersionName ?? '';
  const records = dataset.versions.get(name);
  if (!records?.meta) {
    throw new PaiApiError(
      404,
      'DatasetVersionNotFound',
      `The version ${name} of dataset ${dataset.DatasetId} does not exist.`,
    );
  }
  return {
    RequestId: ctx.requestId,
    DatasetId: dataset.DatasetId,
    ...versionView(records.meta, records, dataset.Edition),
  };
};

/** Filters Properties, SourceTypes, SourceId, LabelKeys/LabelValues; SortBy (GmtCreateTime) and Order (ASC). */
export const listDatasetVersions: Operation = (req, ctx) => {
  const dataset = findDataset(ctx, req.path.DatasetId);
  const q = parseVersionListQuery(req.query);
  const pageNumber = positiveInt('PageNumber', stringParam(req.query, 'PageNumber'), 1, 1_000_000);
  const pageSize = positiveInt('PageSize', stringParam(req.query, 'PageSize'), 10, 100);
  const compare = sortOrder(req.query, VERSION_SORT_KEYS, 'GmtCreateTime');
  const views = [...dataset.versions.values()]
    .filter((r) => r.meta !== undefined && versionMatches(r.meta, q))
    .map((r) => ({ DatasetId: dataset.DatasetId, ...versionView(r.meta!, r, dataset.Edition) }))
    .sort(compare);
  return {
    RequestId: ctx.requestId,
    TotalCount: views.length,
    PageNumber: pageNumber,
    PageSize: pageSize,
    DatasetVersions: views.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
  };
};
