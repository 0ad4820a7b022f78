// ROA routing: method + path template -> action (reference §4). The x-acs-action header must name the same
// action (checked by the server); the path decides, because that is what the ROA gateway routes on.
import { createDataset, getDataset, listDatasets } from './operations/datasets.ts';
import {
  createDatasetVersion,
  getDatasetVersion,
  listDatasetVersions,
} from './operations/dataset-versions.ts';
import { fileMetasStatistics } from './operations/file-metas-statistics.ts';
import type { Operation } from './operations/context.ts';
import { createFileMetas } from './operations/create-file-metas.ts';
import { deleteFileMetas } from './operations/delete-file-metas.ts';
import { getFileMeta } from './operations/get-file-meta.ts';
import { listFileMetas } from './operations/list-file-metas.ts';
import { updateFileMetas } from './operations/update-file-metas.ts';

interface Route {
  action: string;
  method: string;
  /** Path segments; '{Name}' captures one segment. */
  segments: string[];
  operation: Operation;
}

function route(action: string, method: string, template: string, operation: Operation): Route {
  return { action, method, segments: template.split('/').filter((s) => s !== ''), operation };
}

const FILE_METAS = '/api/v1/datasets/{DatasetId}/datasetfilemetas';

export const ROUTES: Route[] = [
  route('CreateDataset', 'POST', '/api/v1/datasets', createDataset),
  route('ListDatasets', 'GET', '/api/v1/datasets', listDatasets),
  route('GetDataset', 'GET', '/api/v1/datasets/{DatasetId}', getDataset),
  route('CreateDatasetVersion', 'POST', '/api/v1/datasets/{DatasetId}/versions', createDatasetVersion),
  route('ListDatasetVersions', 'GET', '/api/v1/datasets/{DatasetId}/versions', listDatasetVersions),
  route('GetDatasetVersion', 'GET', '/api/v1/datasets/{DatasetId}/versions/{VersionName}', getDatasetVersion),
  route(
    'GetDatasetFileMetasStatistics',
    'GET',
    '/api/v1/statistics/datasets/{DatasetId}/datasetfilemetas',
    fileMetasStatistics,
  ),
  route('CreateDatasetFileMetas', 'POST', FILE_METAS, createFileMetas),
  route('UpdateDatasetFileMetas', 'PUT', FILE_METAS, updateFileMetas),
  route('DeleteDatasetFileMetas', 'DELETE', FILE_METAS, deleteFileMetas),
  route('ListDatasetFileMetas', 'GET', FILE_METAS, listFileMetas),
  route('GetDatasetFileMeta', 'GET', `${FILE_METAS}/{DatasetFileMetaId}`, getFileMeta),
];

export interface RouteMatch {
  action: string;
  operation: Operation;
  path: Record<string, string>;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `rawPath` is still percent-encoded; a trailing '/' is tolerated. */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const parts = rawPath.split('/').filter((s) => s !== '');
  for (const r of ROUTES) {
    if (r.method !== method || r.segments.length !== parts.length) continue;
    const path: Record<string, string> = {};
    let ok = true;
    r.segments.forEach((seg, i) => {
      const part = parts[i] ?? '';
      if (seg.startsWith('{')) {
        const decoded = decodeSegment(part);
        if (decoded === undefined || decoded === '') ok = false;
        else path[seg.slice(1, -1)] = decoded;
      } else if (seg !== part) ok = false;
    });
    if (ok) return { action: r.action, operation: r.operation, path };
  }
  return undefined;
}
