// CreateDataset (POST /api/v1/datasets), GetDataset (GET /api/v1/datasets/{DatasetId}) and ListDatasets
// (GET /api/v1/datasets) with the filters of the SDK's ListDatasetsRequest.
import { invalidParameter } from '../api-error.ts';
import { DEFAULT_WORKSPACE_ID, checkCreateDataset } from '../dataset-fields.ts';
import { labelsContain, versionView } from '../dataset-versions.ts';
import type { DatasetState } from '../store.ts';
import type { VersionRecords } from '../version-records.ts';
import { findDataset, stringParam, type Operation } from './context.ts';

/** The newest version (highest vN): GetDataset's LatestVersion. */
export function latestVersion(d: DatasetState): VersionRecords | undefined {
  let best: VersionRecords | undefined;
  let bestN = -1;
  for (const [name, records] of d.versions) {
    const n = Number(/^v(\d+)$/.exec(name)?.[1] ?? 0);
    if (n > bestN) [best, bestN] = [records, n];
  }
  return best;
}

export function datasetView(d: DatasetState): Record<string, unknown> {
  // VersionDescription/VersionLabels describe v1: they are answered there, not on the dataset.
  const { versions, VersionDescription: _vd, VersionLabels: _vl, ...meta } = d;
  void versions;
  const latest = latestVersion(d);
  return {
    ...meta,
    Labels: meta.Labels ?? [],
    AccessibleRoleIdList: meta.AccessibleRoleIdList ?? [],
    ...(latest?.meta ? { LatestVersion: versionView(latest.meta, latest, d.Edition) } : {}),
  };
}

export const createDataset: Operation = (req, ctx) => {
  const dataset = ctx.store.addDataset(checkCreateDataset(req.body));
  return { RequestId: ctx.requestId, DatasetId: dataset.DatasetId };
};

export const getDataset: Operation = (req, ctx) => {
  return { RequestId: ctx.requestId, ...datasetView(findDataset(ctx, req.path.DatasetId)) };
};

export function positiveInt(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidParameter(name, `must be an integer from 1 to ${max}`);
  return n;
}

const csv = (v: string | undefined) =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const DATASET_SORT_KEYS = [
  'GmtCreateTime',
  'GmtModifiedTime',
  'Name',
  'DataSourceType',
  'DataType',
  'Property',
  'SourceType',
  'DatasetId',
] as const;

/** ASC by default (SDK doc); ties keep creation order. */
export function sortOrder(query: Record<string, string>, keys: readonly string[], fallback: string) {
  const sortBy = stringParam(query, 'SortBy') ?? fallback;
  if (!keys.includes(sortBy)) throw invalidParameter('SortBy', `must be one of ${keys.join(', ')}`);
  const order = (stringParam(query, 'Order') ?? 'ASC').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') throw invalidParameter('Order', 'must be ASC or DESC');
  const sign = order === 'DESC' ? -1 : 1;
  return <T extends object>(a: T, b: T): number => {
    const rawX = (a as Record<string, unknown>)[sortBy];
    const rawY = (b as Record<string, unknown>)[sortBy];
    const numeric = typeof rawX === 'number' && typeof rawY === 'number';
    const x = numeric ? rawX : String(rawX ?? '');
    const y = numeric ? rawY : String(rawY ?? '');
    return x < y ? -sign : x > y ? sign : 0;
  };
}

/**
 * Filters of ListDatasetsRequest: WorkspaceId (absent: the default workspace only, as the SDK doc says),
 * Name (substring), Edition, DatasetIds, Properties, DataSourceTypes, DataTypes, SourceTypes (lists),
 * Label (substring of any label key or value), SourceId, SourceDatasetId, Provider, Accessibility; SortBy
 * and Order; PageNumber/PageSize.
 */
export const listDatasets: Operation = (req, ctx) => {
  const q = req.query;
  const workspaceId = stringParam(q, 'WorkspaceId') ?? DEFAULT_WORKSPACE_ID;
  const name = stringParam(q, 'Name');
  const edition = stringParam(q, 'Edition');
  const ids = csv(stringParam(q, 'DatasetIds'));
  const properties = csv(stringParam(q, 'Properties'));
  const sourceKinds = csv(stringParam(q, 'DataSourceTypes'));
  const dataTypes = csv(stringParam(q, 'DataTypes'));
  const sourceTypes = csv(stringParam(q, 'SourceTypes'));
  const label = stringParam(q, 'Label');
  const exact = (['SourceId', 'SourceDatasetId', 'Provider', 'Accessibility'] as const).map(
    (f) => [f, stringParam(q, f)] as const,
  );
  const pageNumber = positiveInt('PageNumber', stringParam(q, 'PageNumber'), 1, 1_000_000);
  const pageSize = positiveInt('PageSize', stringParam(q, 'PageSize'), 10, 100);
  const compare = sortOrder(q, DATASET_SORT_KEYS, 'GmtCreateTime');
  const matching = [...ctx.store.datasets.values()]
    .filter(
      (d) =>
        d.WorkspaceId === workspaceId &&
        (name === undefined || d.Name.includes(name)) &&
        (edition === undefined || d.Edition === edition) &&
        (ids === undefined || ids.includes(d.DatasetId)) &&
        (properties === undefined || properties.includes(d.Property)) &&
        (sourceKinds === undefined || sourceKinds.includes(d.DataSourceType)) &&
        (dataTypes === undefined || dataTypes.includes(d.DataType)) &&
        (sourceTypes === undefined || sourceTypes.includes(d.SourceType)) &&
        (label === undefined ||
          labelsContain(d.Labels, [label]) ||
          labelsContain(d.Labels, undefined, [label])) &&
        exact.every(([f, v]) => v === undefined || d[f] === v),
    )
    .sort(compare);
  const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return { RequestId: ctx.requestId, TotalCount: matching.length, Datasets: page.map(datasetView) };
};
