// Unsigned admin endpoint under /-/admin/, answered only on a Host without a bucket label (IP,
// localhost, the configured host). Lets `oss-pai-sync emulate` users and other processes change
// faults, read stats, create buckets and write objects at runtime.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError } from './errors.ts';
import { readBody, sendJson } from './http-util.ts';
import { isValidBucketName } from './store.ts';

export interface AdminTarget {
  getFaults(): unknown;
  setFaults(patch: unknown): unknown;
  getStats(): unknown;
  createBucket(name: string): void;
  /** admin-objects.ts: `raw` is the request's JSON; throws OssError. */
  writeObjects(bucket: string, raw: string): unknown;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  t: AdminTarget,
): Promise<void> {
  const route = path.slice('/-/admin/'.length);
  if (route === 'faults' && req.method === 'GET') return sendJson(res, 200, t.getFaults());
  if (route === 'faults' && req.method === 'PUT') {
    const raw = (await readBody(req)).toString('utf8');
    try {
      return sendJson(res, 200, t.setFaults(JSON.parse(raw)));
    } catch (e) {
      return sendJson(res, 400, { error: (e as Error).message });
    }
  }
  if (route === 'stats' && req.method === 'GET') return sendJson(res, 200, t.getStats());
  if (route.startsWith('buckets/') && req.method === 'POST') {
    const name = decodeURIComponent(route.slice('buckets/'.length));
    if (!isValidBucketName(name)) return sendJson(res, 400, { error: `invalid bucket name: ${name}` });
    t.createBucket(name);
    return sendJson(res, 200, { bucket: name });
  }
  if (route.startsWith('objects/') && req.method === 'POST') {
    const bucket = decodeURIComponent(route.slice('objects/'.length));
    const raw = (await readBody(req)).toString('utf8');
    try {
      return sendJson(res, 200, t.writeObjects(bucket, raw));
    } catch (e) {
      if (!(e instanceof OssError)) throw e;
      return sendJson(res, e.status, { error: `${e.code}: ${e.message}` });
    }
  }
  req.resume();
  sendJson(res, 404, { error: `no admin route ${req.method} ${path}` });
}
