// The gateway behaviour around the operations: ACS3 signature, STS, action routing, throttling, error faults,
// the admin endpoint.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaiEmulator, type PaiEmulator } from '../../../../src/emulators/pai/index.ts';
import { PaiTestClient, WS, advancedDataset, metasPath } from './pai-client.ts';

let emu: PaiEmulator;
let client: PaiTestClient;
let datasetId: string;

const STS = { accessKeyId: 'STS.emu-ak', accessKeySecret: 'sts-secret', securityToken: 'token-123' };

beforeAll(async () => {
  emu = await startPaiEmulator({
    credentials: [{ accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' }, STS],
  });
  client = new PaiTestClient(emu.endpoint);
  datasetId = await advancedDataset(client);
});
afterAll(() => emu.close());

const listQuery = { WorkspaceId: WS, DatasetVersion: 'v1', QueryFileName: "x(1)*!'~ é.jpg" };

describe('ACS3-HMAC-SHA256', () => {
  it('accepts the SDK signature, including a query with characters the wire and signing encoders treat differently', async () => {
    const res = await client.call('ListDatasetFileMetas', 'GET', metasPath(datasetId), { query: listQuery });
    expect(res.statusCode).toBe(200);
    expect(res.body.TotalCount).toBe(0);
  });

  it('answers a wrong secret with 403 SignatureDoesNotMatch', async () => {
    const bad = new PaiTestClient(emu.endpoint, { accessKeyId: 'emulator-ak', accessKeySecret: 'wrong' });
    const err = await bad.fail('ListDatasetFileMetas', 'GET', metasPath(datasetId), { query: listQuery });
    expect(err.name).toBe('ClientError');
    expect([err.statusCode, err.code]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('answers an unknown access key with InvalidAccessKeyId.NotFound', async () => {
    const bad = new PaiTestClient(emu.endpoint, { accessKeyId: 'nobody', accessKeySecret: 'x' });
    const err = await bad.fail('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`);
    expect([err.statusCode, err.code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);
  });

  it('accepts STS credentials (type sts) and rejects a wrong security token', async () => {
    const sts = new PaiTestClient(emu.endpoint, { type: 'sts', ...STS });
    const ok = await sts.call('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`);
    expect(ok.body.DatasetId).toBe(datasetId);
    const wrong = new PaiTestClient(emu.endpoint, { type: 'sts', ...STS, securityToken: 'stolen' });
    const err = await wrong.fail('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`);
    expect([err.statusCode, err.code]).toEqual([403, 'InvalidSecurityToken.MismatchWithAccessKey']);
    // The STS key without its token is refused too.
    const bare = new PaiTestClient(emu.endpoint, {
      accessKeyId: STS.accessKeyId,
      accessKeySecret: STS.accessKeySecret,
    });
    expect((await bare.fail('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`)).code).toBe(
      'InvalidSecurityToken.MismatchWithAccessKey',
    );
  });

  // The SDK always signs correctly; these cases sign by hand (an independent transcription of reference §2).
  async function rawSigned(opts: {
    date: string;
    bodyHashOverride?: string;
    body?: string;
  }): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = opts.body ?? '';
    const path = `/api/v1/datasets/${datasetId}`;
    const headers: Record<string, string> = {
      host: emu.endpoint,
      'x-acs-action': 'GetDataset',
      'x-acs-version': '2021-02-04',
      'x-acs-date': opts.date,
      'x-acs-signature-nonce': 'n'.repeat(32),
      'x-acs-content-sha256': opts.bodyHashOverride ?? createHash('sha256').update(body).digest('hex'),
    };
    const names = Object.keys(headers).sort();
    const canonical = [
      'GET',
      path,
      '',
      names.map((n) => `${n}:${headers[n]}\n`).join(''),
      names.join(';'),
      headers['x-acs-content-sha256'],
    ].join('\n');
    const toSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const sig = createHmac('sha256', 'emulator-secret').update(toSign).digest('hex');
    headers.authorization = `ACS3-HMAC-SHA256 Credential=emulator-ak,SignedHeaders=${names.join(';')},Signature=${sig}`;
    headers['content-length'] = String(Buffer.byteLength(body)); // unsigned, as in the SDK
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: emu.port, path, method: 'GET', headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

  it('accepts a hand-signed request and rejects one whose x-acs-date is beyond the allowed skew', async () => {
    expect((await rawSigned({ date: isoSeconds(Date.now()) })).status).toBe(200);
    const old = await rawSigned({ date: isoSeconds(Date.now() - 16 * 60_000) });
    expect([old.status, old.body.Code]).toEqual([400, 'InvalidTimeStamp.Expired']);
    expect(old.body).toHaveProperty('RequestId');
    expect(old.body).toHaveProperty('HostId', emu.endpoint);
    expect(String(old.body.Recommend)).toContain('InvalidTimeStamp.Expired');
  });

  it('rejects an x-acs-content-sha256 that does not match the body', async () => {
    const res = await rawSigned({
      date: isoSeconds(Date.now()),
      body: 'tampered',
      bodyHashOverride: createHash('sha256').update('').digest('hex'),
    });
    expect([res.status, res.body.Code]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(String(res.body.Message)).toContain('x-acs-content-sha256');
  });
});

describe('routing', () => {
  it('rejects an x-acs-action that disagrees with method + path', async () => {
    const err = await client.fail('ListDatasets', 'GET', `/api/v1/datasets/${datasetId}`);
    expect([err.statusCode, err.code]).toEqual([400, 'InvalidAction.Mismatch']);
  });

  it('answers an unknown path with 404 InvalidAction.NotFound', async () => {
    const err = await client.fail('Nope', 'GET', '/api/v1/nothing-here');
    expect([err.statusCode, err.code]).toEqual([404, 'InvalidAction.NotFound']);
  });
});

describe('faults, throttling and the admin endpoint', () => {
  it('errorRate 1 answers every call with a 5xx ServerError', async () => {
    emu.setFaults({ errorRate: 1 });
    try {
      for (let i = 0; i < 4; i++) {
        const err = await client.fail('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`);
        expect(err.name).toBe('ServerError');
        expect(['InternalError', 'ServiceUnavailable']).toContain(err.code);
        expect([500, 503]).toContain(err.statusCode);
      }
    } finally {
      emu.setFaults({ errorRate: 0 });
    }
  });

  it('rps 2: a burst gets Throttling.User with retryAfter in ms, counted in stats', async () => {
    emu.resetStats();
    emu.setRps(2);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => client.call('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`)),
      );
      const rejected = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => r.reason as Record<string, unknown>);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      expect(rejected).toHaveLength(4);
      for (const e of rejected) {
        expect(e.name).toBe('ThrottlingError');
        expect(e.code).toBe('Throttling.User');
        expect(e.statusCode).toBe(400);
        expect(String(e.message)).toContain('Request was denied due to user flow control.');
        expect(e.retryAfter).toBeGreaterThan(0);
        expect(e.retryAfter).toBeLessThanOrEqual(1000);
      }
      expect(emu.stats.throttled).toBe(4);
      expect(emu.stats.calls.GetDataset).toBe(6);
    } finally {
      emu.setRps(0);
    }
  });

  it('exposes faults, stats, rps and the rate window on the unsigned admin endpoint', async () => {
    const admin = async (
      method: string,
      what: string,
      body?: unknown,
    ): Promise<{ status: number; json: Record<string, unknown> }> => {
      const res = await fetch(`http://${emu.endpoint}/-/admin/${what}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    expect((await admin('PUT', 'faults', { latencyMs: 5, partialFailureRate: 0.25 })).json).toEqual({
      latencyMs: 5,
      errorRate: 0,
      partialFailureRate: 0.25,
      lostAnswerRate: 0,
    });
    expect((await admin('GET', 'faults')).json).toMatchObject({ latencyMs: 5 });
    expect((await admin('PUT', 'faults', { errorRate: 2 })).status).toBe(400);
    await admin('PUT', 'faults', { latencyMs: 0, partialFailureRate: 0 });
    expect((await admin('PUT', 'rps', { rps: 7 })).json).toEqual({ rps: 7 });
    expect((await admin('GET', 'rps')).json).toEqual({ rps: 7 });
    await admin('PUT', 'rps', { rps: 0 });
    expect((await admin('GET', 'rate-window')).json).toEqual({ rateWindow: 'sliding' });
    expect((await admin('PUT', 'rate-window', { rateWindow: 'fixed' })).json).toEqual({
      rateWindow: 'fixed',
    });
    expect((await admin('PUT', 'rate-window', { rateWindow: 'hourly' })).status).toBe(400);
    expect((await admin('GET', 'rate-window')).json).toEqual({ rateWindow: 'fixed' });
    await admin('PUT', 'rate-window', { rateWindow: 'sliding' });
    emu.resetStats();
    await client.call('GetDataset', 'GET', `/api/v1/datasets/${datasetId}`);
    expect((await admin('GET', 'stats')).json).toEqual({
      calls: { GetDataset: 1 },
      throttled: 0,
      failedItems: 0,
      accepted: { created: 0, updated: 0, deleted: 0 },
      lostAnswers: 0,
    });
    expect((await admin('DELETE', 'stats')).json).toEqual({
      calls: {},
      throttled: 0,
      failedItems: 0,
      accepted: { created: 0, updated: 0, deleted: 0 },
      lostAnswers: 0,
    });
  });
});
