// The HTTP edges: reading the body, splitting the URL, writing JSON answers in the POP shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PaiApiError } from './api-error.ts';

/** Bodies arrive chunked from the SDK (no content-length); cap them so a bad client cannot exhaust memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES)
      throw new PaiApiError(413, 'RequestEntityTooLarge', 'The request body is too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf('?');
  return q < 0 ? { rawPath: url, rawQuery: '' } : { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

/** Decoded query, querystring semantics ('+' is a space; the SDK never sends a raw '+'); last value wins. */
export function parseQuery(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) out[k] = v;
  return out;
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PaiApiError(400, 'InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PaiApiError(400, 'InvalidParameter', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-acs-request-id': requestId,
    ...headers,
  });
  res.end(text);
}

/** The POP error body: {RequestId, HostId, Code, Message, Recommend}. */
export function sendError(res: ServerResponse, err: PaiApiError, requestId: string, hostId: string): void {
  const recommend = `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=AIWorkSpace&requestId=${requestId}`;
  sendJson(
    res,
    err.status,
    { RequestId: requestId, HostId: hostId, Code: err.code, Message: err.message, Recommend: recommend },
    requestId,
    err.headers,
  );
}
