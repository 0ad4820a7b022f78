// CreateProject, GetProject. The product never creates projects; the emulator has CreateProject so a user
// can prepare one exactly as in the cloud.
import { invalidArgument, resourceExists } from '../api-error.ts';
import { checkName } from '../names.ts';
import { optBool, optInt, optString, reqString } from '../params.ts';
import { DEFAULT_DATASET_LIMITS, ProjectState, nowRfc3339 } from '../store.ts';
import { datasetLimits } from './datasets.ts';
import type { Operation } from './context.ts';

export const createProject: Operation = (q, ctx) => {
  const name = reqString(q, 'ProjectName');
  checkName('ProjectName', name);
  if (ctx.store.projects.has(name)) throw resourceExists('project', name);
  const description = optString(q, 'Description') ?? '';
  if ([...description].length > 256)
    throw invalidArgument('The parameter Description is longer than 256 characters.');
  const project = new ProjectState(
    name,
    description,
    optString(q, 'TemplateId') ?? '',
    optString(q, 'ServiceRole') ?? 'AliyunIMMDefaultRole',
    optInt(q, 'ProjectMaxDatasetCount', 1, 1_000_000_000, 1_000_000_000),
    datasetLimits(q, DEFAULT_DATASET_LIMITS),
    nowRfc3339(),
  );
  ctx.store.projects.set(name, project);
  return { RequestId: ctx.requestId, Project: project.view() };
};

export const getProject: Operation = (q, ctx) => {
  const project = ctx.store.project(reqString(q, 'ProjectName'));
  const view = project.view();
  // Without WithStatistics the counters are left out (their computation is what the flag opts into).
  if (optBool(q, 'WithStatistics') !== true) {
    delete view.DatasetCount;
    delete view.FileCount;
    delete view.TotalFileSize;
  }
  return { RequestId: ctx.requestId, Project: view };
};
