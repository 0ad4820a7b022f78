// CreateDataset (every parameter and rule of the API reference), GetDataset (WithStatistics), ListDatasets.
import { ImmApiError, invalidArgument, resourceExists } from '../api-error.ts';
import { OWNER_ID } from '../indexer.ts';
import { checkName } from '../names.ts';
import { optBool, optInt, optJson, optString, reqString, type Query } from '../params.ts';
import { DatasetState, nowRfc3339, type DatasetLimits } from '../store.ts';
import type { Operation } from './context.ts';

/** The DatasetMax* parameters with their documented ranges; defaults come from the project. */
export function datasetLimits(q: Query, defaults: DatasetLimits): DatasetLimits {
  return {
    DatasetMaxBindCount: optInt(q, 'DatasetMaxBindCount', 1, 10, defaults.DatasetMaxBindCount),
    DatasetMaxFileCount: optInt(q, 'DatasetMaxFileCount', 1, 100_000_000, defaults.DatasetMaxFileCount),
    DatasetMaxEntityCount: optInt(
      q,
      'DatasetMaxEntityCount',
      1,
      10_000_000_000,
      defaults.DatasetMaxEntityCount,
    ),
    DatasetMaxRelationCount: optInt(
      q,
      'DatasetMaxRelationCount',
      1,
      100_000_000_000,
      defaults.DatasetMaxRelationCount,
    ),
    DatasetMaxTotalFileSize: optInt(
      q,
      'DatasetMaxTotalFileSize',
      1,
      90_000_000_000_000_000,
      defaults.DatasetMaxTotalFileSize,
    ),
  };
}

export const createDataset: Operation = (q, ctx) => {
  const project = ctx.store.project(reqString(q, 'ProjectName'));
  const name = reqString(q, 'DatasetName');
  checkName('DatasetName', name);
  const description = optString(q, 'Description') ?? '';
  if ([...description].length > 256) {
    throw invalidArgument('The parameter Description must be 1 to 256 characters long.');
  }
  const limits = datasetLimits(q, project.datasetDefaults);
  // Documented as "Invalid parameter": accepted when well-formed, then ignored.
  const wp = optJson(q, 'WorkflowParameters');
  if (wp !== undefined && !Array.isArray(wp))
    throw invalidArgument('The parameter WorkflowParameters must be a JSON array.');
  const config = optJson(q, 'DatasetConfig');
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw invalidArgument('The parameter DatasetConfig must be a JSON object.');
  }
  if (project.datasets.has(name)) throw resourceExists('dataset', name);
  if (project.datasets.size >= project.ProjectMaxDatasetCount) {
    throw new ImmApiError(
      400,
      'LimitExceededError',
      `input quota exceed the max value: project ${project.ProjectName} already holds ProjectMaxDatasetCount (${project.ProjectMaxDatasetCount}) datasets`,
    );
  }
  const now = nowRfc3339();
  const d = new DatasetState(
    project.ProjectName,
    name,
    description,
    optString(q, 'TemplateId') ?? '',
    limits,
    now,
    now,
  );
  project.datasets.set(name, d);
  return { RequestId: ctx.requestId, Dataset: d.view() };
};

function withoutStatistics(view: Record<string, unknown>): Record<string, unknown> {
  delete view.FileCount;
  delete view.TotalFileSize;
  return view;
}

export const getDataset: Operation = (q, ctx) => {
  const d = ctx.store.dataset(reqString(q, 'ProjectName'), reqString(q, 'DatasetName'));
  const view = d.view();
  return {
    RequestId: ctx.requestId,
    Dataset: optBool(q, 'WithStatistics') === true ? view : withoutStatistics(view),
  };
};

export const listDatasets: Operation = (q, ctx) => {
  const project = ctx.store.project(reqString(q, 'ProjectName'));
  const max = optInt(q, 'MaxResults', 0, 200, 0) || 100;
  const prefix = optString(q, 'Prefix') ?? '';
  const token = optString(q, 'NextToken');
  // Token shape of the API reference example: "<OwnerId>:<ProjectName>:<last DatasetName>".
  const head = `${OWNER_ID}:${project.ProjectName}:`;
  if (token !== undefined && !token.startsWith(head))
    throw invalidArgument('The parameter NextToken is invalid.');
  const after = token?.slice(head.length);
  const names = [...project.datasets.keys()]
    .filter((n) => n.startsWith(prefix) && (after === undefined || n > after))
    .sort();
  const page = names.slice(0, max);
  const more = names.length > max;
  return {
    RequestId: ctx.requestId,
    Datasets: page.map((n) => withoutStatistics(project.datasets.get(n)!.view())),
    NextToken: more ? `${head}${page[page.length - 1]}` : '',
  };
};
