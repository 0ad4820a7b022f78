// Before a run writes to an IMM binding: the project must exist (the product never creates projects: they
// carry billing, roles and quotas), the dataset is created when missing (CreateDataset, optional template).
import type { ImmApi, ImmTarget } from '../../imm/imm-api.ts';

export class ImmProjectMissing extends Error {
  constructor(project: string, region: string) {
    super(
      `IMM project "${project}" does not exist in region ${region}. Create it first: in the IMM console ` +
        `(Projects > Create Project), with the CLI \`aliyun imm CreateProject --ProjectName ${project} --region ${region}\`, ` +
        `or against the local emulator with \`curl -X PUT http://127.0.0.1:9092/-/admin/projects/${project}\` ` +
        '(`oss-pai-sync emulate --imm-project NAME` creates it at start).',
    );
    this.name = 'ImmProjectMissing';
  }
}

export async function ensureImmDataset(
  api: ImmApi,
  target: ImmTarget,
  opts: { region: string; templateId?: string; dryRun?: boolean },
): Promise<'exists' | 'created' | 'missing'> {
  if (await api.getDataset(target)) return 'exists';
  if (!(await api.projectExists(target.project))) throw new ImmProjectMissing(target.project, opts.region);
  if (opts.dryRun) return 'missing';
  await api.createDataset(target, {
    ...(opts.templateId ? { templateId: opts.templateId } : {}),
    description: 'kept in step with OSS by oss-pai-sync',
  });
  return 'created';
}
