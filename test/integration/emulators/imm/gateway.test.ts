// The gateway half of the IMM emulator: ACS3 signature, version and action checks, per-project throttling
// in both plausible shapes, injected server errors, and the admin endpoint's call counts.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startImmEmulator,
  type ImmEmulator,
  type ImmEmulatorOptions,
} from '../../../../src/emulators/imm/index.ts';
import { D, ImmTestClient, P, file } from './imm-client.ts';

let emu: ImmEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(opts: ImmEmulatorOptions = {}): Promise<{ c: ImmTestClient; emu: ImmEmulator }> {
  const e = await startImmEmulator({ projects: [P, 'other'], ...opts });
  emu = e;
  return { c: new ImmTestClient(e.endpoint), emu: e };
}

describe('IMM gateway', () => {
  it('refuses a wrong secret, an unknown key, another API version and an unknown action', async () => {
    const { emu } = await setup();
    const wrong = new ImmTestClient(emu.endpoint, { accessKeyId: 'emulator-ak', accessKeySecret: 'nope' });
    const sig = await wrong.fail('GetProject', { ProjectName: P });
    expect([sig.statusCode, sig.code]).toEqual([403, 'SignatureDoesNotMatch']);
    const unknown = new ImmTestClient(emu.endpoint, { accessKeyId: 'who', accessKeySecret: 'x' });
    expect((await unknown.fail('GetProject', { ProjectName: P })).code).toBe('InvalidAccessKeyId.NotFound');
    const c = new ImmTestClient(emu.endpoint);
    const version = await c.fail('GetProject', { ProjectName: P }, '2017-09-06');
    expect([version.statusCode, version.code]).toEqual([400, 'InvalidVersion']);
    const action = await c.fail('CreateBinding', { ProjectName: P });
    expect([action.statusCode, action.code]).toEqual([404, 'InvalidAction.NotFound']);
    const missing = await c.fail('GetProject', {});
    expect([missing.statusCode, missing.code]).toEqual([400, 'MissingProjectName']);
  });

  it('error bodies have the POP shape', async () => {
    const { emu } = await setup();
    const err = await new ImmTestClient(emu.endpoint).fail('GetDataset', {
      ProjectName: P,
      DatasetName: 'none',
    });
    expect(err.data).toMatchObject({
      RequestId: expect.any(String),
      HostId: 'imm.cn-hangzhou.aliyuncs.com',
      Code: 'ResourceNotFound',
      Message: expect.any(String),
      Recommend: expect.stringContaining('product=imm'),
    });
  });

  it.each([
    ['imm', 429, 'Throttling'],
    ['pop', 400, 'Throttling.User'],
  ] as const)(
    'throttles per project (%s style: HTTP %d %s) with x-acs-retry-after',
    async (style, status, code) => {
      const { c, emu } = await setup({ qps: 2, throttleStyle: style, now: () => 1_000_000 });
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => c.call('GetProject', { ProjectName: P })),
      );
      const rejected = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason);
      expect(rejected.length).toBe(3);
      for (const e of rejected) {
        expect(e).toMatchObject({ name: 'ThrottlingError', code, statusCode: status });
        expect(e.retryAfter).toBeGreaterThan(0);
      }
      // Another project has its own budget.
      await expect(c.call('GetProject', { ProjectName: 'other' })).resolves.toMatchObject({
        statusCode: 200,
      });
      expect(emu.stats.throttled).toBe(3);
    },
  );

  it('errorRate answers 500/503 and the admin endpoint reports calls per action', async () => {
    const draws = [0, 0.2, 0, 0.9];
    const { c, emu } = await setup({ faults: { errorRate: 0.5 }, random: () => draws.shift() ?? 1 });
    const first = await c.fail('GetProject', { ProjectName: P });
    const second = await c.fail('GetProject', { ProjectName: P });
    expect([first.statusCode, first.code]).toEqual([500, 'InternalError']);
    expect([second.statusCode, second.code]).toEqual([503, 'ServiceUnavailable']);
    await c.call('CreateDataset', { ProjectName: P, DatasetName: D });
    await c.call('BatchIndexFileMeta', { ProjectName: P, DatasetName: D, Files: [file('a')] });
    const stats = (await fetch(`http://${emu.endpoint}/-/admin/stats`).then((r) => r.json())) as {
      calls: Record<string, number>;
    };
    expect(stats.calls).toEqual({ GetProject: 2, CreateDataset: 1, BatchIndexFileMeta: 1 });
    const faults = await fetch(`http://${emu.endpoint}/-/admin/faults`, {
      method: 'PUT',
      body: JSON.stringify({ indexDelayMs: 5, indexFailureRate: 0.25 }),
    }).then((r) => r.json());
    expect(faults).toEqual({ latencyMs: 0, errorRate: 0.5, indexDelayMs: 5, indexFailureRate: 0.25 });
    const bad = await fetch(`http://${emu.endpoint}/-/admin/faults`, {
      method: 'PUT',
      body: '{"errorRate":2}',
    });
    expect(bad.status).toBe(400);
    const created = await fetch(`http://${emu.endpoint}/-/admin/projects/made-by-admin`, { method: 'PUT' });
    expect(created.status).toBe(200);
    expect(emu.store.hasProject('made-by-admin')).toBe(true);
  });
});
