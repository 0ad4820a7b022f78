import { expect, it } from 'vitest';
import { effectiveOssEndpoint, explainAuthError } from '../../../src/cli/preflight.ts';

const SECRET =
  'the access key secret was refused (check ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_ACCESS_KEY_ID)';

it.each([
  [{ code: 'SignatureDoesNotMatch', message: 'x' }, 'PAI', `PAI: ${SECRET}`],
  [
    Object.assign(new Error('wrapped'), { cause: { code: 'SignatureDoesNotMatch' } }),
    'OSS',
    `OSS: ${SECRET}`,
  ],
  [
    new Error('CreateDataset failed: CreateDataset: SignatureDoesNotMatch: code: 403, Specified signature'),
    'PAI',
    `PAI: ${SECRET}`,
  ],
  [
    new Error('GetDataset: InvalidAccessKeyId.NotFound: code: 404'),
    'PAI',
    'PAI: the access key id is not known (check ALIBABA_CLOUD_ACCESS_KEY_ID)',
  ],
  [
    { code: 'InvalidAccessKeyId' },
    'OSS',
    'OSS: the access key id is not known (check ALIBABA_CLOUD_ACCESS_KEY_ID)',
  ],
  [new Error('NoSuchBucket'), 'OSS', undefined],
  [new Error('a SignatureDoesNotMatchX in a word'), 'OSS', undefined],
  ['plain string', 'PAI', undefined],
] as const)('explainAuthError(%o, %s)', (err, service, text) => {
  expect(explainAuthError(err, service)).toBe(text);
});

it('the OSS endpoint is the flag, else the region public endpoint', () => {
  expect(effectiveOssEndpoint({ endpoint: 'http://127.0.0.1:9090', region: 'cn-hangzhou' })).toBe(
    'http://127.0.0.1:9090',
  );
  expect(effectiveOssEndpoint({ region: 'cn-beijing' })).toBe('https://oss-cn-beijing.aliyuncs.com');
});
