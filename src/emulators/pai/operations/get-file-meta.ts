// GetDatasetFileMeta: GET /api/v1/datasets/{DatasetId}/datasetfilemetas/{DatasetFileMetaId}
// Answers DELETED records too (with their Status): the id still names them.
import { PaiApiError } from '../api-error.ts';
import { fileMetaTarget, stringParam, type Operation } from './context.ts';

export const getFileMeta: Operation = (req, ctx) => {
  const { dataset, version, records } = fileMetaTarget(
    ctx,
    req.path.DatasetId,
    stringParam(req.query, 'WorkspaceId'),
    stringParam(req.query, 'DatasetVersion'),
  );
  const id = req.path.DatasetFileMetaId ?? '';
  const stored = records.findById(id);
  if (!stored) {
    throw new PaiApiError(404, 'DatasetFileMetaNotFound', `The file metadata record ${id} does not exist.`);
  }
  return {
    RequestId: ctx.requestId,
    DatasetId: dataset.DatasetId,
    DatasetVersion: version,
    WorkspaceId: dataset.WorkspaceId,
    DatasetFileMeta: stored.rec,
  };
};
