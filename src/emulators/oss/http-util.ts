// Small HTTP helpers shared by the handlers: request ids, header normalisation, body reading and
// the OSS error answer (XML body, or for HEAD no body and the base64 XML in `x-oss-err`).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError, errorXml } from './errors.ts';

/** 24 upper-case hex characters, like real OSS request ids. */
export function newRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

/**
 * Node decodes header bytes as latin1; OSS clients send UTF-8 (metadata, signed values). Re-decode
 * so signatures and stored metadata see the characters the client meant.
 */
export function fromHeaderBytes(v: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(v) ? Buffer.from(v, 'latin1').toString('utf8') : v;
}

/** The inverse for answers: Node writes header strings byte-per-char. */
export function toHeaderBytes(v: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(v) ? Buffer.from(v, 'utf8').toString('latin1') : v;
}

export function normalizeHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = fromHeaderBytes(Array.isArray(value) ? value.join(',') : value);
  }
  return out;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendXml(
  res: ServerResponse,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/xml',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  err: OssError,
  requestId: string,
  hostId: string,
  isHead: boolean,
): void {
  if (res.headersSent || res.destroyed) return;
  const xml = errorXml(err, requestId, hostId);
  res.setHeader('x-oss-ec', err.ec);
  if (isHead) {
    res.writeHead(err.status, {
      'x-oss-err': Buffer.from(xml, 'utf8').toString('base64'),
      'Content-Type': 'application/xml',
      'Content-Length': '0',
    });
    res.end();
    return;
  }
  sendXml(res, err.status, xml);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(body);
}
