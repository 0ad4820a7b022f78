// The IMM adapter (the only module importing the SDK for IMM) against the emulator: every call it makes,
// the not-found answers it turns into values, and the error classes the pipeline retries on.
import { afterEach, describe, expect, it } from 'vitest';
import { staticCredentials } from '../../../src/config/credentials.ts';
import {
  startImmEmulator,
  type ImmEmulator,
  type ImmEmulatorOptions,
} from '../../../src/emulators/imm/index.ts';
import { createOpenApiImmApi } from '../../../src/imm/openapi-imm-api.ts';
import type { ImmApi } from '../../../src/imm/imm-api.ts';
import { ApiCallError } from '../../../src/pai/errors.ts';

let emu: ImmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const T = { project: 'proj', dataset: 'ds' };

async function setup(opts: ImmEmulatorOptions = {}): Promise<ImmApi> {
  emu = await startImmEmulator({ projects: ['proj'], ...opts });
  return createOpenApiImmApi({
    endpoint: emu.endpoint,
    region: 'cn-hangzhou',
    protocol: 'http',
    credentials: staticCredentials({ accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }),
  });
}

describe('createOpenApiImmApi', () => {
  it('creates a dataset once (a second create is not an error) and reads it back with statistics', async () => {
    const api = await setup();
    expect(await api.projectExists('proj')).toBe(true);
    expect(await api.projectExists('missing')).toBe(false);
    expect(await api.getDataset(T)).toBeUndefined();
    await api.createDataset(T, { templateId: 'Official:ImageManagement' });
    await api.createDataset(T);
    expect(await api.getDataset(T, true)).toEqual({
      project: 'proj',
      dataset: 'ds',
      fileCount: 0,
      totalFileSize: 0,
    });
  });

  it('indexes, reads back, queries by prefix page by page, and deletes', async () => {
    const api = await setup();
    await api.createDataset(T);
    const list = Array.from({ length: 5 }, (_, i) => ({
      URI: `oss://bkt/p/${i}.jpg`,
      CustomLabels: { v: `${i}` },
    }));
    const { eventId } = await api.batchIndex(T, [...list, { URI: 'oss://bkt/other.jpg' }]);
    expect(eventId).toEqual(expect.any(String));
    await emu!.idle();
    const got = await api.batchGet(T, ['oss://bkt/p/0.jpg', 'oss://bkt/none']);
    expect(got).toEqual([
      expect.objectContaining({
        URI: 'oss://bkt/p/0.jpg',
        ObjectStatus: 'Indexed',
        CustomLabels: { v: '0' },
      }),
    ]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.simpleQuery(T, {
        query: { Field: 'URI', Operation: 'prefix', Value: 'oss://bkt/p/' },
        maxResults: 2,
        ...(token ? { nextToken: token } : {}),
      });
      seen.push(...page.files.map((f) => f.URI));
      token = page.nextToken;
    } while (token);
    expect(seen).toEqual(list.map((f) => f.URI));
    await api.batchDelete(T, ['oss://bkt/p/0.jpg', 'oss://bkt/none']);
    expect(await api.batchGet(T, ['oss://bkt/p/0.jpg'])).toEqual([]);
  });

  it('classifies refusals as fatal, throttling as throttled with retry-after, 5xx as transient', async () => {
    const api = await setup({ qps: 1, now: () => 5 });
    await api.createDataset(T);
    const throttled = await api.batchGet(T, ['oss://bkt/x']).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(ApiCallError);
    expect(throttled).toMatchObject({ kind: 'throttled', code: 'Throttling' });
    expect((throttled as ApiCallError).retryAfterMs).toBeGreaterThan(0);
    emu!.setQps(0);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ URI: `oss://bkt/${i}` }));
    await expect(api.batchIndex(T, tooMany)).rejects.toMatchObject({
      kind: 'fatal',
      code: 'LimitExceededError',
    });
    await expect(
      api.batchIndex({ project: 'nope', dataset: 'ds' }, [{ URI: 'oss://bkt/a' }]),
    ).rejects.toMatchObject({
      kind: 'fatal',
      code: 'ResourceNotFound',
    });
    emu!.setFaults({ errorRate: 1 });
    await expect(api.batchGet(T, ['oss://bkt/x'])).rejects.toMatchObject({ kind: 'transient' });
  });
});
