// Presigned URLs made by the real ali-oss client (signatureUrl = V1, signatureUrlV4 = V4), used by a
// plain HTTP client as a browser or curl would: GET and PUT, both addressing styles, expiry checked
// against an injected server clock, STS tokens in the query.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OssEmulator, startOssEmulator } from '../../../../src/emulators/oss/index.ts';
import { AK, SK, client } from './client.ts';

let emu: OssEmulator;
let offsetMs = 0;
beforeAll(async () => {
  emu = await startOssEmulator({
    buckets: ['signed-bucket'],
    clock: () => Date.now() + offsetMs,
    credentials: [
      { accessKeyId: AK, accessKeySecret: SK },
      { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret', securityToken: 'sts-token' },
    ],
  });
});
afterAll(async () => {
  await emu.close();
});

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends to the emulator's port whatever host the URL names (`bucket.localhost` does not resolve). */
function send(
  url: string,
  method = 'GET',
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: emu.port,
        method,
        path: u.pathname + u.search,
        headers: { host: u.host, ...headers },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const STYLES = [
  { name: 'path style (localhost + sldEnable)', pathStyle: true },
  { name: 'virtual host (bucket.localhost)', pathStyle: false },
];

describe.each(STYLES)('$name', ({ pathStyle }) => {
  const oss = () =>
    client(
      emu,
      'signed-bucket',
      { pathStyle },
      { endpoint: `http://localhost:${emu.port}`, sldEnable: pathStyle },
    );
  const key = `${pathStyle ? 'path' : 'vhost'}/signed ☃+file.txt`;

  it('V1 signatureUrl: GET with a response-content-type override, PUT with the signed Content-Type', async () => {
    emu.store.putObject('signed-bucket', key, 'signed body');
    const getUrl = oss().signatureUrl(key, {
      expires: 600,
      response: { 'content-type': 'text/x-test' },
    } as never);
    expect(getUrl).toContain('OSSAccessKeyId=');
    const got = await send(getUrl);
    expect(got.status).toBe(200);
    expect(got.body).toBe('signed body');
    expect(got.headers['content-type']).toBe('text/x-test');

    const putUrl = oss().signatureUrl(`${key}.put`, { method: 'PUT', 'Content-Type': 'text/plain' } as never);
    const put = await send(putUrl, 'PUT', Buffer.from('uploaded'), { 'Content-Type': 'text/plain' });
    expect(put.status).toBe(200);
    expect(emu.store.getObject('signed-bucket', `${key}.put`)?.body.toString()).toBe('uploaded');
    // The signature covers the Content-Type: another one does not verify.
    const other = await send(putUrl, 'PUT', Buffer.from('x'), { 'Content-Type': 'image/png' });
    expect(other.status).toBe(403);
    expect(other.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('V4 signatureUrlV4: GET and PUT', async () => {
    emu.store.putObject('signed-bucket', key, 'v4 body');
    const getUrl = await oss().signatureUrlV4('GET', 600, undefined, key);
    expect(getUrl).toContain('x-oss-signature-version=OSS4-HMAC-SHA256');
    const got = await send(getUrl);
    expect(got.status).toBe(200);
    expect(got.body).toBe('v4 body');

    const putUrl = await oss().signatureUrlV4(
      'PUT',
      600,
      { headers: { 'Content-Type': 'text/plain' } },
      `${key}.v4`,
    );
    const put = await send(putUrl, 'PUT', Buffer.from('v4 upload'), { 'Content-Type': 'text/plain' });
    expect(put.status).toBe(200);
    expect(emu.store.getObject('signed-bucket', `${key}.v4`)?.body.toString()).toBe('v4 upload');
    const tampered = await send(getUrl.replace(/x-oss-expires=\d+/, 'x-oss-expires=601'));
    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('expiry and tokens', () => {
  const oss = (extra: Record<string, unknown> = {}) =>
    client(emu, 'signed-bucket', { pathStyle: true }, { endpoint: `http://localhost:${emu.port}`, ...extra });

  it('answers 403 AccessDenied "Request has expired." once the server clock passes the expiry (V1 and V4)', async () => {
    emu.store.putObject('signed-bucket', 'exp.txt', 'e');
    const v1 = oss().signatureUrl('exp.txt', { expires: 60 } as never);
    const v4 = await oss().signatureUrlV4('GET', 60, undefined, 'exp.txt');
    expect((await send(v1)).status).toBe(200);
    expect((await send(v4)).status).toBe(200);
    offsetMs = 5 * 60_000;
    try {
      for (const url of [v1, v4]) {
        const late = await send(url);
        expect(late.status).toBe(403);
        expect(late.body).toContain('<Code>AccessDenied</Code>');
        expect(late.body).toContain('<Message>Request has expired.</Message>');
        expect(late.body).toContain('<ServerTime>');
      }
    } finally {
      offsetMs = 0;
    }
  });

  it('V4 refuses x-oss-expires beyond 7 days; an unsigned URL is AccessDenied', async () => {
    const tooLong = await oss().signatureUrlV4('GET', 604801, undefined, 'exp.txt');
    const answer = await send(tooLong);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>InvalidArgument</Code>');
    const bare = await send(`http://localhost:${emu.port}/signed-bucket/exp.txt`);
    expect(bare.status).toBe(403);
    expect(bare.body).toContain('<Code>AccessDenied</Code>');
  });

  it('carries the STS token in the query (security-token / x-oss-security-token) and checks it', async () => {
    emu.store.putObject('signed-bucket', 'sts.txt', 's');
    const sts = oss({ accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret', stsToken: 'sts-token' });
    const v1 = sts.signatureUrl('sts.txt');
    expect(v1).toContain('security-token=sts-token');
    expect((await send(v1)).status).toBe(200);
    const v4 = await sts.signatureUrlV4('GET', 60, undefined, 'sts.txt');
    expect((await send(v4)).status).toBe(200);
    const wrong = await send(v4.replace('x-oss-security-token=sts-token', 'x-oss-security-token=other'));
    expect(wrong.status).toBe(403);
    expect(wrong.body).toContain('<Code>InvalidSecurityToken</Code>');
  });
});
