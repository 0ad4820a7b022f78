// The unsigned admin endpoint under /-/admin/: lets a test harness or a user of `oss-pai-sync emulate`
// change faults and the rate limit of a running emulator and read its counters without an SDK.
//   GET /-/admin/faults   -> PaiFaults          PUT /-/admin/faults {partial PaiFaults} -> merged PaiFaults
//   GET /-/admin/stats    -> PaiStats           DELETE /-/admin/stats -> resets them, answers the zeroed stats
//   GET /-/admin/rps      -> {rps}              PUT /-/admin/rps {rps} -> {rps}
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PaiApiError } from './api-error.ts';
import { parseJsonBody, readBody, sendJson } from './http-io.ts';
import type { PaiFaults, PaiStats } from './types.ts';

export const ADMIN_PREFIX = '/-/admin/';

export interface AdminControls {
  faults(): PaiFaults;
  setFaults(f: Partial<PaiFaults>): void;
  stats(): PaiStats;
  resetStats(): void;
  rps(): number;
  setRps(rps: number): void;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  controls: AdminControls,
  requestId: string,
): Promise<void> {
  const what = rawPath.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const method = req.method ?? 'GET';
  try {
    const body = method === 'PUT' ? parseJsonBody(await readBody(req)) : {};
    if (what === 'faults' && method === 'GET') return sendJson(res, 200, controls.faults(), requestId);
    if (what === 'faults' && method === 'PUT') {
      controls.setFaults(body as Partial<PaiFaults>);
      return sendJson(res, 200, controls.faults(), requestId);
    }
    if (what === 'stats' && method === 'GET') return sendJson(res, 200, controls.stats(), requestId);
    if (what === 'stats' && method === 'DELETE') {
      controls.resetStats();
      return sendJson(res, 200, controls.stats(), requestId);
    }
    if (what === 'rps' && method === 'GET') return sendJson(res, 200, { rps: controls.rps() }, requestId);
    if (what === 'rps' && method === 'PUT') {
      controls.setRps(body.rps as number);
      return sendJson(res, 200, { rps: controls.rps() }, requestId);
    }
    throw new PaiApiError(404, 'NotFound', `No admin resource ${method} ${rawPath}.`);
  } catch (err) {
    const e = err instanceof PaiApiError ? err : new PaiApiError(500, 'InternalError', String(err));
    sendJson(res, e.status, { Code: e.code, Message: e.message }, requestId);
  }
}
