// Signature verification and its error answers, through ali-oss and raw HTTP.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { AK, SK, client, ossError } from './client.ts';

let emu: OssEmulator;
beforeAll(async () => {
  emu = await startOssEmulator({
    buckets: ['auth-bucket'],
    credentials: [
      { accessKeyId: AK, accessKeySecret: SK },
      { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret', securityToken: 'sts-token' },
    ],
  });
  emu.store.putObject('auth-bucket', 'k.txt', 'data');
});
afterAll(async () => {
  await emu.close();
});

function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.endpoint}${path}`, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each([false, true])('authorizationV4=%s', (v4) => {
  it('answers SignatureDoesNotMatch for a wrong secret, on GET and on HEAD (x-oss-err)', async () => {
    const bad = client(emu, 'auth-bucket', { v4 }, { accessKeySecret: 'wrong' });
    const err = await ossError(bad.get('k.txt'));
    expect(err.name).toBe('SignatureDoesNotMatchError');
    expect(err.status).toBe(403);
    const headErr = await ossError(bad.head('k.txt'));
    expect(headErr.name).toBe('SignatureDoesNotMatchError');
    expect(headErr.status).toBe(403);
  });

  it('answers InvalidAccessKeyId for an unknown key', async () => {
    const err = await ossError(client(emu, 'auth-bucket', { v4 }, { accessKeyId: 'nobody' }).get('k.txt'));
    expect(err.code).toBe('InvalidAccessKeyId');
    expect(err.status).toBe(403);
  });

  it('answers RequestTimeTooSkewed for a clock 20 minutes off', async () => {
    const err = await ossError(
      client(emu, 'auth-bucket', { v4 }, { amendTimeSkewed: 20 * 60_000 }).get('k.txt'),
    );
    expect(err.code).toBe('RequestTimeTooSkewed');
    expect(err.status).toBe(403);
    // A skew inside the 15-minute window is fine.
    const ok = await client(emu, 'auth-bucket', { v4 }, { amendTimeSkewed: 5 * 60_000 }).get('k.txt');
    expect(ok.content.toString()).toBe('data');
  });

  it('accepts an STS token only when it matches the credential', async () => {
    const good = client(
      emu,
      'auth-bucket',
      { v4 },
      { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret', stsToken: 'sts-token' },
    );
    expect((await good.get('k.txt')).content.toString()).toBe('data');
    const bad = client(
      emu,
      'auth-bucket',
      { v4 },
      { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret', stsToken: 'other' },
    );
    expect((await ossError(bad.get('k.txt'))).status).toBe(403);
  });

  it('verifies listV2 with an empty prefix and a continuation token (signing quirks)', async () => {
    const oss = client(emu, 'auth-bucket', { v4 });
    emu.store.putObject('auth-bucket', 'k2.txt', 'data');
    const first = await oss.listV2({ prefix: '', 'max-keys': '1' } as never);
    expect(first.objects.map((o) => o.name)).toEqual(['k.txt']);
    const second = await oss.listV2({
      'max-keys': '1',
      'continuation-token': first.nextContinuationToken,
    } as never);
    expect(second.objects.map((o) => o.name)).toEqual(['k2.txt']);
  });
});

describe('raw HTTP', () => {
  it('answers AccessDenied with the full OSS error shape when Authorization is missing', async () => {
    const res = await rawGet('/auth-bucket/k.txt', {});
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>AccessDenied</Code>');
    expect(res.body).toMatch(/<RequestId>[0-9A-F]{24}<\/RequestId>/);
    expect(res.body).toContain('<HostId>');
    expect(res.body).toContain('<EC>');
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(res.headers['x-oss-ec']).toBeTruthy();
  });

  it('puts StringToSign, SignatureProvided and OSSAccessKeyId in SignatureDoesNotMatch', async () => {
    const date = new Date().toUTCString();
    const res = await rawGet('/auth-bucket/k.txt', {
      'x-oss-date': date,
      authorization: `OSS ${AK}:bm9wZQ==`,
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(res.body).toContain(
      `<StringToSign>GET\n\n\n${date}\nx-oss-date:${date}\n/auth-bucket/k.txt</StringToSign>`,
    );
    expect(res.body).toContain('<SignatureProvided>bm9wZQ==</SignatureProvided>');
    expect(res.body).toContain(`<OSSAccessKeyId>${AK}</OSSAccessKeyId>`);
  });

  it('also serves ali-oss with an IP endpoint plus sldEnable (Host and path both carry the bucket)', async () => {
    const oss = client(emu, 'auth-bucket', { v4: true }, { sldEnable: true, endpoint: emu.endpoint });
    expect((await oss.get('k.txt')).content.toString()).toBe('data');
  });
});
