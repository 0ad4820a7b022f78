// Target selection: --target imm needs --imm-project and --imm-dataset (IMM names), not the PAI flags.
import { describe, expect, it } from 'vitest';
import { ConfigError, buildConfig, type FlatConfig } from '../../../src/config/load.ts';

const NO_ENV = {};

function problemsOf(flags: FlatConfig): string[] {
  try {
    buildConfig({}, flags, NO_ENV);
  } catch (err) {
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('target imm', () => {
  it('takes project, dataset, endpoint, protocol and template without any PAI option', () => {
    const c = buildConfig(
      {},
      {
        bucket: 'my-bucket',
        target: 'imm',
        immProject: 'proj',
        immDataset: '_photos-1',
        immEndpoint: '127.0.0.1:9092',
        immProtocol: 'http',
        immTemplateId: 'Official:ImageManagement',
      },
      NO_ENV,
    );
    expect(c.target).toMatchObject({
      kind: 'imm',
      immProject: 'proj',
      immDataset: '_photos-1',
      immEndpoint: '127.0.0.1:9092',
      immProtocol: 'http',
      immTemplateId: 'Official:ImageManagement',
    });
  });

  it('names what is missing, and refuses names IMM refuses', () => {
    expect(problemsOf({ bucket: 'my-bucket', target: 'imm' })).toEqual([
      'immProject (--imm-project): is required with target imm',
      'immDataset (--imm-dataset): is required with target imm',
    ]);
    expect(problemsOf({ bucket: 'my-bucket', target: 'imm', immProject: 'p', immDataset: '9lives' })).toEqual(
      ['immDataset (--imm-dataset): must be 1-128 letters, digits, - and _, starting with a letter or _'],
    );
    expect(problemsOf({ bucket: 'my-bucket', target: 'oss' })[0]).toMatch(/^target \(--target\)/);
  });

  it('a PAI target still needs its workspace', () => {
    expect(problemsOf({ bucket: 'my-bucket', datasetId: 'd-1' })).toEqual([
      'workspaceId (--workspace-id): is required',
    ]);
  });
});
