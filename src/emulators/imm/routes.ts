// RPC routing: every call is POST / and the x-acs-action header names the operation.
import type { Operation } from './operations/context.ts';
import { createDataset, getDataset, listDatasets } from './operations/datasets.ts';
import {
  batchDeleteFileMeta,
  batchGetFileMeta,
  batchIndexFileMeta,
  batchUpdateFileMeta,
  deleteFileMeta,
  getFileMeta,
  indexFileMeta,
} from './operations/file-metas.ts';
import { createProject, getProject } from './operations/projects.ts';
import { simpleQuery } from './operations/simple-query.ts';

export const API_VERSION = '2020-09-30';

export const OPERATIONS: Record<string, Operation> = {
  CreateProject: createProject,
  GetProject: getProject,
  CreateDataset: createDataset,
  GetDataset: getDataset,
  ListDatasets: listDatasets,
  IndexFileMeta: indexFileMeta,
  BatchIndexFileMeta: batchIndexFileMeta,
  BatchUpdateFileMeta: batchUpdateFileMeta,
  GetFileMeta: getFileMeta,
  BatchGetFileMeta: batchGetFileMeta,
  DeleteFileMeta: deleteFileMeta,
  BatchDeleteFileMeta: batchDeleteFileMeta,
  SimpleQuery: simpleQuery,
};
