// CreateDataset (POST /api/v1/datasets), GetDataset (GET /api/v1/datasets/{DatasetId}) and ListDatasets
// (GET /api/v1/datasets). Enough of the dataset API for a sync target: create, look up, find by name.
import { invalidParameter } from '../api-error.ts';
import { checkCreateDataset } from '../dataset-fields.ts';
import { INITIAL_VERSION, type DatasetState } from '../store.ts';
import { findDataset, stringParam, type Operation } from './context.ts';

function datasetView(d: DatasetState): Record<string, unknown> {
  const { versions, ...meta } = d;
  const latest = versions.get(INITIAL_VERSION);
  return {
    ...meta,
    Labels: meta.Labels ?? [],
    LatestVersion: {
      VersionName: INITIAL_VERSION,
      DataSourceType: d.DataSourceType,
      Property: d.Property,
      Uri: d.Uri,
      DataCount: latest?.activeCount ?? 0,
      GmtCreateTime: d.GmtCreateTime,
      GmtModifiedTime: d.GmtModifiedTime,
    },
  };
}

export const createDataset: Operation = (req, ctx) => {
  const dataset = ctx.store.addDataset(checkCreateDataset(req.body));
  return { RequestId: ctx.requestId, DatasetId: dataset.DatasetId };
};

export const getDataset: Operation = (req, ctx) => {
  return { RequestId: ctx.requestId, ...datasetView(findDataset(ctx, req.path.DatasetId)) };
};

function positiveInt(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidParameter(name, `must be an integer from 1 to ${max}`);
  return n;
}

/** Filters: WorkspaceId, Name (substring), Edition, DatasetIds (comma-separated); paging PageNumber/PageSize. */
export const listDatasets: Operation = (req, ctx) => {
  const workspaceId = stringParam(req.query, 'WorkspaceId');
  const name = stringParam(req.query, 'Name');
  const edition = stringParam(req.query, 'Edition');
  const ids = stringParam(req.query, 'DatasetIds')
    ?.split(',')
    .map((s) => s.trim());
  const pageNumber = positiveInt('PageNumber', stringParam(req.query, 'PageNumber'), 1, 1_000_000);
  const pageSize = positiveInt('PageSize', stringParam(req.query, 'PageSize'), 10, 100);
  const matching = [...ctx.store.datasets.values()].filter(
    (d) =>
      (workspaceId === undefined || d.WorkspaceId === workspaceId) &&
      (name === undefined || d.Name.includes(name)) &&
      (edition === undefined || d.Edition === edition) &&
      (ids === undefined || ids.includes(d.DatasetId)),
  );
  const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { RequestId: ctx.requestId, TotalCount: matching.length, Datasets: page.map(datasetView) };
};
